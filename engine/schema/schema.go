// Package schema checks governance documents against the embedded JSON
// Schemas (draft 2020-12) and words every violation for the people who write
// the YAML: a dotted path, what was expected, and the file:line:column of the
// offending node.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/schemas"
)

// BaseURL is the $id prefix shared by the embedded schemas.
const BaseURL = schemas.BaseID

// Validator holds the compiled schema of every kind. It is safe for
// concurrent use.
type Validator struct {
	byKind map[model.Kind]*jsonschema.Schema
	// raw holds each schema file as parsed JSON, to explain violations
	// (for example, which fields are allowed where an unknown one stood).
	raw map[string]any
}

// New compiles the embedded schemas.
func New() (*Validator, error) { return compile(true) }

// compile compiles the embedded schemas, with their definitions inlined
// when inline is set (see inliner); a test checks both give the same
// findings.
func compile(inline bool) (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	v := &Validator{byKind: map[model.Kind]*jsonschema.Schema{}, raw: map[string]any{}}
	entries, err := fs.ReadDir(schemas.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded schemas: %w", err)
	}
	raw := map[string]any{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(schemas.FS, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", e.Name(), err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", e.Name(), err)
		}
		raw[BaseURL+e.Name()] = doc
	}
	// Compile the Campaign schema inlined (see inliner): it is the kind a
	// repository holds by the thousand. Inlining every kind would cost
	// every run ~40 ms more compile time (measured: 60 ms instead of 27)
	// for kinds counted in tens. Explanations read the compiled copies,
	// since violations point into them.
	in := inliner{raw: raw}
	for url := range raw {
		doc := raw[url]
		if inline && url == BaseURL+schemas.File(string(model.KindCampaign)) {
			doc = in.file(url)
		}
		v.raw[url] = doc
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("inline schema %s: %w", url, err)
		}
		if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", url, err)
		}
	}
	for _, k := range model.Kinds() {
		s, err := c.Compile(BaseURL + schemas.File(string(k)))
		if err != nil {
			return nil, fmt.Errorf("compile schema for %s: %w", k, err)
		}
		v.byKind[k] = s
	}
	return v, nil
}

// Validate checks one document against its kind's schema.
func (v *Validator) Validate(d *model.Document) []source.Finding {
	s := v.byKind[d.Kind]
	if s == nil {
		return nil
	}
	err := s.Validate(d.Value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []source.Finding{d.Finding(source.RuleSchema, source.Deny, "", fmt.Sprintf("schema check failed: %v", err))}
	}
	var out []source.Finding
	seen := map[string]bool{}
	for _, leaf := range leaves(ve) {
		for _, f := range v.explain(d, leaf) {
			key := f.Path + "\x00" + f.Message
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

// leaves returns the innermost causes: the errors that say what is wrong,
// rather than which combinator (allOf, if/then) led there.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// Source returns the raw JSON Schema of kind (case-insensitive), or the
// root schema covering every kind when kind is empty.
func Source(kind string) ([]byte, error) {
	file := "mops.schema.json"
	if kind != "" {
		k := ""
		for _, known := range model.Kinds() {
			if strings.EqualFold(string(known), kind) {
				k = string(known)
			}
		}
		if k == "" {
			return nil, fmt.Errorf("unknown kind %q; supported kinds: %s", kind, model.KindNames())
		}
		file = schemas.File(k)
	}
	data, err := fs.ReadFile(schemas.FS, file)
	if err != nil {
		return nil, fmt.Errorf("read schema %s: %w", file, err)
	}
	return data, nil
}
