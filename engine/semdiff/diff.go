package semdiff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/mops-dev/mops/engine/model"
)

// Diff compares two loaded repositories, pairing documents by kind and
// name. Either side may be nil, meaning an empty repository. Documents come
// in model.Kinds order, then by name; changes within a document in the
// order of its spec (see each kind's differ). Base and Head of the report
// are left for the caller to fill in.
func Diff(base, head *model.Bundle) *Report {
	before, after := byKey(base), byKey(head)
	keys := make([]model.Key, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b model.Key) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	r := &Report{Documents: []Document{}}
	for _, k := range keys {
		if doc, ok := diffDocument(before[k], after[k]); ok {
			r.Documents = append(r.Documents, doc)
		}
	}
	r.summarize()
	return r
}

// byKey indexes a bundle's named documents, the Project included.
func byKey(b *model.Bundle) map[model.Key]*model.Document {
	out := map[model.Key]*model.Document{}
	if b == nil {
		return out
	}
	docs := b.Docs
	if b.Project != nil {
		docs = append([]*model.Document{b.Project}, docs...)
	}
	for _, d := range docs {
		if d.Name == "" || d.Value == nil {
			continue
		}
		if _, dup := out[d.Key()]; !dup {
			out[d.Key()] = d
		}
	}
	return out
}

func kindRank(k model.Kind) int {
	if i := slices.Index(model.Kinds(), k); i >= 0 {
		return i
	}
	return len(model.Kinds())
}

// diffDocument compares one pair; ok is false when they do not differ.
func diffDocument(base, head *model.Document) (Document, bool) {
	d := &differ{base: base, head: head, compliance: kindOf(base, head) == model.KindConsentPolicy}
	out := Document{Kind: kindOf(base, head)}
	switch {
	case base == nil:
		out.Name, out.Action, out.File, out.Line = head.Name, Added, head.File, head.PosOf("").Line
		d.title = title(head)
		d.add(Change{Op: "document.added", Action: Added, After: describe(head),
			Message: fmt.Sprintf("%s %s added: %s", head.Kind, head.Name, describe(head))})
	case head == nil:
		out.Name, out.Action, out.File, out.Line = base.Name, Removed, base.File, base.PosOf("").Line
		d.title = title(base)
		d.add(Change{Op: "document.removed", Action: Removed, Before: describe(base),
			Message: fmt.Sprintf("%s %s removed (was %s)", base.Kind, base.Name, describe(base))})
	default:
		out.Name, out.Action, out.File, out.Line = head.Name, Changed, head.File, head.PosOf("").Line
		if base.File != head.File {
			out.BaseFile = base.File
		}
		d.title = title(head)
		diffMetadata(d)
		differFor(head.Kind)(d)
		if len(d.changes) == 0 {
			return Document{}, false
		}
	}
	out.Changes = d.changes
	if out.Kind == model.KindLifecycleModel && out.Action != Removed {
		out.Lifecycle = lifecycleGraph(base, head)
	}
	return out, true
}

func kindOf(base, head *model.Document) model.Kind {
	if head != nil {
		return head.Kind
	}
	return base.Kind
}

// differFor returns the spec differ of a kind.
func differFor(k model.Kind) func(*differ) {
	switch k {
	case model.KindTaxonomy:
		return diffTaxonomy
	case model.KindLifecycleModel:
		return diffLifecycle
	case model.KindNamingConvention:
		return diffNaming
	case model.KindRACI:
		return diffRACI
	case model.KindSLA:
		return diffSLA
	case model.KindConsentPolicy:
		return diffConsent
	case model.KindCampaign:
		return diffCampaign
	default:
		return diffSpecFields
	}
}

// title is how sentences name a document: a taxonomy by its label (Lead
// Source), anything else by its name.
func title(d *model.Document) string {
	if d.Kind == model.KindTaxonomy {
		if l := str(get(d.Spec(), "label")); l != "" {
			return l
		}
	}
	return d.Name
}

// differ collects the changes of one document pair.
type differ struct {
	base, head *model.Document
	title      string
	// compliance flags every change (ConsentPolicy documents).
	compliance bool
	changes    []Change
}

// add records c, pointing it at its path in head, or in base for a
// removal.
func (d *differ) add(c Change) {
	doc := d.head
	if doc == nil || (c.Action == Removed && d.base != nil) {
		doc = d.base
	}
	pos := doc.PosOf(c.Path) // the document's first line when Path is empty
	c.File, c.Line, c.Column = pos.File, pos.Line, pos.Column
	if d.compliance {
		c.Compliance = true
	}
	d.changes = append(d.changes, c)
}

// spec returns the spec of both sides.
func (d *differ) spec() (base, head map[string]any) {
	return d.base.Spec(), d.head.Spec()
}

// sentence prefixes a message with the document's title.
func (d *differ) sentence(format string, args ...any) string {
	return d.title + ": " + fmt.Sprintf(format, args...)
}
