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
// Campaigns are in the index only as far as some policy reads them there
// (indexuse.go).

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
	// changed, when set, says whether a document's file differs from the
	// base revision (input.changed).
	changed func(d *model.Document) bool
}

// Entry is a document's entry in input.index: what the policies read of
// it (see indexuse.go).
type Entry struct {
	key   model.Key
	value *ast.Term
}

// Indexes reports whether the policies read anything of the documents of
// kind k through input.index, so that a run must be given an Entry for
// each that its bundle does not hold.
func (e *Engine) Indexes(k model.Kind) bool {
	return k != model.KindCampaign || !e.campaignReads.none()
}

// Entry returns d's entry in input.index, and false when the policies
// read nothing of its kind there.
func (e *Engine) Entry(d *model.Document) (Entry, bool, error) {
	if d.Kind == "" || d.Name == "" || !e.Indexes(d.Kind) {
		return Entry{}, false, nil
	}
	v, err := indexValue(d, e.campaignReads)
	if err != nil {
		return Entry{}, false, err
	}
	return Entry{key: d.Key(), value: ast.NewTerm(v)}, true, nil
}

// indexValue is the value of d in input.index: campaigns projected to the
// fields the policies read of them, every other kind whole.
func indexValue(d *model.Document, reads indexReads) (ast.Object, error) {
	if d.Kind != model.KindCampaign || reads.whole {
		return toObject(d)
	}
	v, err := ast.InterfaceToValue(reads.fields.project(d.Value))
	if err != nil {
		return nil, fmt.Errorf("convert %s %s: %w", d.File, d.Key(), err)
	}
	return v.(ast.Object), nil
}

// buildInputs converts the documents once and builds the index from them
// and extra, in that order (the first of duplicates wins; loading reports
// the others).
//
// A campaign's own value is converted only while it is evaluated, and the
// index holds only what the policies read of campaigns (reads): a run then
// holds no campaign whole.
func buildInputs(docs []*model.Document, project *model.Document, today string, base *model.Bundle, reads indexReads, extra []Entry) (*inputs, error) {
	in := &inputs{values: make(map[*model.Document]ast.Object, len(docs)), today: ast.StringTerm(today)}
	byKind := map[model.Kind]ast.Object{}
	var kinds []model.Kind
	add := func(e Entry) {
		names, ok := byKind[e.key.Kind]
		if !ok {
			names = ast.NewObject()
			byKind[e.key.Kind] = names
			kinds = append(kinds, e.key.Kind)
		}
		key := ast.StringTerm(e.key.Name)
		if names.Get(key) == nil {
			names.Insert(key, e.value)
		}
	}
	for _, d := range docs {
		campaign := d.Kind == model.KindCampaign
		if campaign && reads.none() {
			continue
		}
		obj, err := indexValue(d, reads)
		if err != nil {
			return nil, err
		}
		if !campaign || reads.whole {
			in.values[d] = obj // the index entry is the document's value
		}
		if d.Kind != "" && d.Name != "" {
			add(Entry{key: d.Key(), value: ast.NewTerm(obj)})
		}
	}
	for _, e := range extra {
		add(e)
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
		obj.Insert(ast.StringTerm(keyChanged), ast.BooleanTerm(in.changed(d)))
	}
	return obj, nil
}
