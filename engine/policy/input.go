package policy

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/model"
)

// The input of one evaluation (documented in docs/policies.md):
//
//	{apiVersion, kind, metadata, spec,   the document as written
//	 file:    "campaigns/x.yaml",
//	 index:   {Kind: {name: document}},  every document, the Project too
//	 project: the mops.yaml document, or {}
//	 today:   "YYYY-MM-DD",
//	 base:    the document at the base revision, when there is one,
//	 changed: whether the document's file differs from the base revision,
//	          only when the run has one (validate --base/--changed-since)}
//
// The index is converted to Rego values once per run and shared by every
// document's input, so a run costs one conversion, not one per document.

// Input keys the engine adds to each document.
const (
	keyFile    = "file"
	keyIndex   = "index"
	keyProject = "project"
	keyToday   = "today"
	keyBase    = "base"
	keyChanged = "changed"
)

// inputs holds a run's Rego values: the index and each document's value.
type inputs struct {
	index   *ast.Term
	project *ast.Term
	today   *ast.Term
	values  map[*model.Document]ast.Object
	// base holds the base revision's version of documents, by key.
	base map[model.Key]*ast.Term
	// changed, when set, says whether a file differs from the base
	// revision (input.changed).
	changed func(file string) bool
}

// buildInputs converts every document of b once and builds the index.
//
// Documents for which lazy is true are left out of the index and converted
// only when evaluated (see Engine.lazyCampaigns).
func buildInputs(docs []*model.Document, project *model.Document, today string, base *model.Bundle, lazy func(*model.Document) bool) (*inputs, error) {
	in := &inputs{values: make(map[*model.Document]ast.Object, len(docs)), today: ast.StringTerm(today)}
	byKind := map[model.Kind]ast.Object{}
	var kinds []model.Kind
	for _, d := range docs {
		if lazy(d) {
			continue
		}
		obj, err := toObject(d)
		if err != nil {
			return nil, err
		}
		in.values[d] = obj
		if d.Kind == "" || d.Name == "" {
			continue
		}
		names, ok := byKind[d.Kind]
		if !ok {
			names = ast.NewObject()
			byKind[d.Kind] = names
			kinds = append(kinds, d.Kind)
		}
		key := ast.StringTerm(d.Name)
		if names.Get(key) == nil { // the first of duplicates wins; load reports the rest
			names.Insert(key, ast.NewTerm(obj))
		}
	}
	index := ast.NewObject()
	for _, k := range kinds {
		index.Insert(ast.StringTerm(string(k)), ast.NewTerm(byKind[k]))
	}
	in.index = ast.NewTerm(index)
	in.project = ast.ObjectTerm()
	if project != nil {
		in.project = ast.NewTerm(in.values[project])
	}
	if base != nil {
		in.base = map[model.Key]*ast.Term{}
		for _, d := range base.Docs {
			if _, ok := in.base[d.Key()]; ok {
				continue
			}
			v, err := ast.InterfaceToValue(d.Value)
			if err != nil {
				return nil, fmt.Errorf("convert base %s %s: %w", d.File, d.Key(), err)
			}
			in.base[d.Key()] = ast.NewTerm(v)
		}
	}
	return in, nil
}

// toObject converts a document's value to a Rego object.
func toObject(d *model.Document) (ast.Object, error) {
	v, err := ast.InterfaceToValue(d.Value)
	if err != nil {
		return nil, fmt.Errorf("convert %s %s: %w", d.File, d.Key(), err)
	}
	obj, ok := v.(ast.Object)
	if !ok {
		obj = ast.NewObject()
	}
	return obj, nil
}

// of builds the input of one document: its own fields plus the shared ones.
// It may be called from several goroutines: it only reads in.
func (in *inputs) of(d *model.Document) (ast.Value, error) {
	doc, ok := in.values[d]
	if !ok {
		var err error
		if doc, err = toObject(d); err != nil {
			return nil, err
		}
	}
	obj := ast.NewObjectWithCapacity(doc.Len() + 4)
	doc.Foreach(func(k, v *ast.Term) {
		switch k.Value {
		case ast.String(keyFile), ast.String(keyIndex), ast.String(keyProject), ast.String(keyToday), ast.String(keyBase), ast.String(keyChanged):
			return // the engine's keys win
		}
		obj.Insert(k, v)
	})
	obj.Insert(ast.StringTerm(keyFile), ast.StringTerm(d.File))
	obj.Insert(ast.StringTerm(keyIndex), in.index)
	obj.Insert(ast.StringTerm(keyProject), in.project)
	obj.Insert(ast.StringTerm(keyToday), in.today)
	if b, ok := in.base[d.Key()]; ok {
		obj.Insert(ast.StringTerm(keyBase), b)
	}
	if in.changed != nil {
		obj.Insert(ast.StringTerm(keyChanged), ast.BooleanTerm(in.changed(d.File)))
	}
	return obj, nil
}
