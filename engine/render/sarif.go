package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/mops-dev/mops/engine/source"
)

// SARIF constants: where the tool is described, and the base id that makes
// artifact URIs relative to the checked-out source (the git root).
const (
	sarifInformationURI = "https://github.com/mops-dev/mops"
	sarifSrcRoot        = "%SRCROOT%"
)

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run: the tool
// (driver "mops", its version and informationUri), one reportingDescriptor
// per rule id seen, and one result per finding. A result's level is "error"
// for deny and "warning" for warn; its location is the file (relative,
// uriBaseId %SRCROOT%, opts.PathPrefix applied) and, when the line is
// known, the region. Text is escaped as in every human format, since
// code-scanning pages show it to people. Waived findings are results with an accepted external
// suppression whose justification is the waiver reason; every other result
// has an empty suppressions array, because SARIF §3.27.23 wants
// suppressions present on all results of a run or on none.
//
// The log is built with github.com/owenrumney/go-sarif/v2, then passed
// through sarifNormalize, which fixes two things that library cannot
// express; see there.
func WriteSARIF(w io.Writer, r *source.Report, opts Options) error {
	log, err := sarifLog(r, opts)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(log)
	if err != nil {
		return fmt.Errorf("encode sarif: %w", err)
	}
	out, err := sarifNormalize(raw)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// sarifLog builds the SARIF log of r with the go-sarif types.
func sarifLog(r *source.Report, opts Options) (*sarif.Report, error) {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, fmt.Errorf("new sarif log: %w", err)
	}
	driver := sarif.NewDriver("mops").WithInformationURI(sarifInformationURI)
	if opts.Version != "" {
		driver.WithVersion(opts.Version)
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	// yaml.v3 counts columns in characters, not UTF-16 code units.
	run.WithColumnKind("unicodeCodePoints")
	// Rules first: AddResult looks up each result's ruleIndex among them.
	for _, id := range ruleIDs(r.Findings) {
		driver.AddRule(sarif.NewRule(id).WithDescription(ruleDescription(id, opts.Rules)))
	}
	for _, f := range r.Findings {
		run.AddResult(sarifResult(f, opts.PathPrefix))
	}
	log.AddRun(run)
	return log, nil
}

// sarifResult converts one finding.
func sarifResult(f source.Finding, prefix string) *sarif.Result {
	level := "error"
	if f.Severity == source.Warn {
		level = "warning"
	}
	res := sarif.NewRuleResult(f.Rule).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(source.Display(f.Message)))
	if file := repoPath(prefix, f.File); file != "" {
		art := sarif.NewSimpleArtifactLocation(sarifURI(file)).WithUriBaseId(sarifSrcRoot)
		loc := sarif.NewPhysicalLocation().WithArtifactLocation(art)
		if f.Line > 0 {
			region := sarif.NewRegion().WithStartLine(f.Line)
			if f.Column > 0 {
				region.WithStartColumn(f.Column)
			}
			loc.WithRegion(region)
		}
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
	}
	if f.Kind != "" || f.Name != "" || f.Path != "" {
		props := sarif.NewPropertyBag()
		for k, v := range map[string]string{"kind": f.Kind, "name": f.Name, "path": f.Path} {
			if v != "" {
				props.AddString(k, terminalSafe(v))
			}
		}
		res.AttachPropertyBag(props)
	}
	if f.Waived {
		s := sarif.NewSuppression("external").WithStatus("accepted")
		if f.WaiverReason != "" {
			s.WithJustifcation(source.Display(f.WaiverReason))
		}
		res.AddSuppression(s)
	}
	return res
}

// ruleIDs returns the distinct rule ids of fs, sorted.
func ruleIDs(fs []source.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// ruleDescription is the one-line description of rule id: the caller's
// (Options.Rules), else the engine's own for load and schema, else the id.
// SARIF needs one: go-sarif writes a missing shortDescription as null.
func ruleDescription(id string, rules map[string]string) string {
	if d := rules[id]; d != "" {
		return d
	}
	switch id {
	case source.RuleLoad:
		return "The file can be read and parsed as YAML documents."
	case source.RuleSchema:
		return "The document matches the JSON Schema of its kind."
	}
	return id
}

// sarifURI turns a slash path into a relative URI reference, escaping what
// a URI cannot hold (spaces, %, #, ?).
func sarifURI(p string) string {
	return (&url.URL{Path: p}).String()
}

// sarifNormalize repairs go-sarif v2 output that the SARIF 2.1.0 schema or
// specification rejects, and indents the result:
//
//   - go-sarif writes some unset optional properties as null instead of
//     leaving them out (suppression.status, .location and .guid;
//     reportingDescriptor.shortDescription). The schema allows null
//     nowhere, so every null-valued property is dropped.
//   - go-sarif cannot write an empty suppressions array (the field is
//     omitempty), but §3.27.23 wants suppressions on all results of a run
//     or on none; results without one get [].
//
// Objects come out with their keys sorted, so the output is deterministic.
func sarifNormalize(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("normalize sarif: %w", err)
	}
	doc = dropNulls(doc)
	if top, ok := doc.(map[string]any); ok {
		runs, _ := top["runs"].([]any)
		for _, run := range runs {
			rm, _ := run.(map[string]any)
			results, _ := rm["results"].([]any)
			for _, res := range results {
				if m, ok := res.(map[string]any); ok {
					if _, ok := m["suppressions"]; !ok {
						m["suppressions"] = []any{}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("normalize sarif: %w", err)
	}
	return source.JSONSafe(b.Bytes()), nil
}

// dropNulls removes null-valued object members, recursively.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(e)
		}
	case []any:
		for i, e := range v {
			v[i] = dropNulls(e)
		}
	}
	return v
}
