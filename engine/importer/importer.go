// Package importer writes governance YAML from what a live system has now,
// to bootstrap a repository (`mops import`): one Taxonomy per enumeration
// property, and a LifecycleModel for the lifecycle stage property of
// contacts and companies, each bound to the property it was read from.
//
// # Round trip
//
// An import is meant to validate clean and then plan empty against the
// system it came from. What stands in the way is made explicit rather than
// papered over:
//
//   - Options hidden in live have no place in the format except as
//     deprecated values, which need a replacedBy. Import names one only when
//     the repository it runs from already declares that value deprecated
//     with an active replacement on the same binding; otherwise it leaves
//     the option out, lists it in a comment at the top of the file and in
//     File.Hidden (with the records holding it), because mops plan will then
//     propose removing it (or refuse while records hold it).
//   - A property already bound by a document of the output repository would
//     be bound twice, which plan refuses; import skips it and says which
//     document binds it.
//   - Display orders that are not 0, 1, 2... in live are imported in live's
//     order, and plan renumbers them once (File.Notes says so).
//
// Output is deterministic: the same live state and date give the same
// bytes.
package importer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

// DefaultObjects are the object types imported when none are given: the
// ones HubSpot and the sandbox both have and marketing governs.
func DefaultObjects() []string { return []string{"contacts", "companies"} }

// LifecycleProperty is the property imported as a LifecycleModel.
const LifecycleProperty = "lifecyclestage"

// Request says what to import.
type Request struct {
	// System is the Project system name; bindings name it.
	System string
	// Provider reads the system. Unless BoundOnly, it must also list
	// properties (live.Lister).
	Provider live.Provider
	// Objects are the object types to import, in order. Empty means
	// DefaultObjects, or with BoundOnly every bound object type.
	Objects []string
	// BoundOnly imports only the properties that Source binds in System.
	BoundOnly bool
	// Source is the repository import runs from (may be nil). Its bindings
	// drive BoundOnly, and its deprecated values name the replacements of
	// options hidden in live.
	Source *model.Bundle
	// Existing is the output repository as it is now (may be nil). A
	// property it already binds, or a name it already uses, in a file
	// import would not write, is skipped rather than duplicated.
	Existing *model.Bundle
	// Now dates the header comment of every file.
	Now time.Time
}

// File is one generated document.
type File struct {
	// Path is slash-separated, relative to the output folder.
	Path    string       `json:"path"`
	Kind    model.Kind   `json:"kind"`
	Name    string       `json:"name"`
	Binding live.Binding `json:"binding,omitzero"`
	// Values counts the active values (Taxonomy) or stages (LifecycleModel).
	Values int `json:"values"`
	// Deprecated counts hidden options written as deprecated values.
	Deprecated int `json:"deprecated"`
	// ValueCase is the Taxonomy's valueCase; empty for a LifecycleModel.
	ValueCase string `json:"valueCase,omitempty"`
	// Hidden lists options hidden in live that the file leaves out.
	Hidden []HiddenOption `json:"hidden,omitempty"`
	// Notes are other things a person should know about the file.
	Notes []string `json:"notes,omitempty"`
	// Data is the file content.
	Data []byte `json:"-"`
}

// HiddenOption is an option hidden in live that import could not declare.
type HiddenOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Records is how many records still hold it.
	Records int `json:"records"`
}

// Skipped is a property import did not write, and why.
type Skipped struct {
	Binding live.Binding `json:"binding"`
	Reason  string       `json:"reason"`
}

// Result is what Import produced, in the order it would be written.
type Result struct {
	Files   []File    `json:"files"`
	Skipped []Skipped `json:"skipped"`
}

// stageID is the LifecycleModel stage id pattern (lifecycle-model.schema.json).
var stageID = regexp.MustCompile(`^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$`)

// lifecycleObject returns the LifecycleModel spec.object for an object
// type whose lifecyclestage becomes a LifecycleModel, else "".
func lifecycleObject(objectType string) string {
	switch objectType {
	case "contacts":
		return "contact"
	case "companies":
		return "company"
	}
	return ""
}

// Import reads the properties req asks for and returns one file per
// property it can express, and the properties it skipped with the reason.
// It writes nothing; see Write.
func Import(ctx context.Context, req Request) (*Result, error) {
	if req.Provider == nil {
		return nil, errors.New("import: no provider")
	}
	candidates, err := candidates(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: []File{}, Skipped: []Skipped{}}
	if len(candidates) == 0 {
		return res, nil
	}
	snap, err := req.Provider.Read(ctx, live.ReadRequest{Bindings: candidates})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.System, err)
	}
	known := replacements(req.Source, req.System)
	taken := existing(req.Existing, req.System)
	names := map[model.Key]bool{}
	for _, b := range candidates {
		prop := snap.Properties[b]
		if reason := unusable(snap, b, prop); reason != "" {
			res.Skipped = append(res.Skipped, Skipped{Binding: b, Reason: reason})
			continue
		}
		f, err := build(ctx, req, prop, known[b], names)
		if err != nil {
			return nil, err
		}
		if reason := taken.conflict(f); reason != "" {
			res.Skipped = append(res.Skipped, Skipped{Binding: b, Reason: reason})
			continue
		}
		names[model.Key{Kind: f.Kind, Name: f.Name}] = true
		res.Files = append(res.Files, *f)
	}
	return res, nil
}

// candidates lists the bindings to read, object by object, properties
// sorted by name.
func candidates(ctx context.Context, req Request) ([]live.Binding, error) {
	var out []live.Binding
	if req.BoundOnly {
		for _, b := range boundIn(req.Source, req.System) {
			if len(req.Objects) == 0 || slices.Contains(req.Objects, b.Object) {
				out = append(out, b)
			}
		}
		slices.SortStableFunc(out, func(a, b live.Binding) int {
			return cmp.Or(cmp.Compare(objectRank(req.Objects, a.Object), objectRank(req.Objects, b.Object)), a.Compare(b))
		})
		return slices.Compact(out), nil
	}
	lister, ok := req.Provider.(live.Lister)
	if !ok {
		return nil, fmt.Errorf("%s cannot list its properties; import only the bound ones (--bound-only)", req.System)
	}
	objects := req.Objects
	if len(objects) == 0 {
		objects = DefaultObjects()
	}
	seen := map[string]bool{}
	for _, o := range objects {
		if seen[o] {
			continue
		}
		seen[o] = true
		names, err := lister.ListEnumerations(ctx, o)
		if err != nil {
			return nil, fmt.Errorf("list %s properties of %s: %w", req.System, o, err)
		}
		names = slices.Clone(names)
		slices.Sort(names)
		for _, n := range slices.Compact(names) {
			out = append(out, live.Binding{System: req.System, Object: o, Property: n})
		}
	}
	return out, nil
}

// objectRank orders bound objects as --object listed them, else by name.
func objectRank(objects []string, o string) int {
	if i := slices.Index(objects, o); i >= 0 {
		return i
	}
	return len(objects)
}

// unusable says why a property cannot be imported, or "".
func unusable(snap *live.Snapshot, b live.Binding, p *live.Property) string {
	switch {
	case slices.Contains(snap.UnknownObjects, b.Object):
		return fmt.Sprintf("object type %q does not exist in %s", b.Object, b.System)
	case p == nil:
		return "the property does not exist in live (or is archived)"
	case !enumeration(p.Type):
		return fmt.Sprintf("not an enumeration (type %s)", p.Type)
	case p.ReadOnlyOptions:
		return "its options are read-only in live (vendor-managed or computed), so mops cannot govern them"
	}
	visible := 0
	for _, o := range p.Options {
		if !o.Hidden {
			visible++
		}
	}
	if visible == 0 {
		return "it has no visible options (a Taxonomy needs at least one value)"
	}
	return ""
}

func enumeration(t string) bool {
	return t == "enumeration" || t == "picklist" || t == "multipicklist"
}

// build turns one live property into a file.
func build(ctx context.Context, req Request, p *live.Property, replacedBy map[string]string, names map[model.Key]bool) (*File, error) {
	specObject := lifecycleObject(p.Object)
	lifecycle := p.Property == LifecycleProperty && specObject != ""
	if lifecycle {
		replacedBy = nil // a LifecycleModel has no deprecated stages
	}
	opts := displayed(p.Options)
	active := map[string]bool{}
	for _, o := range opts {
		if !o.Hidden {
			active[o.Value] = true
		}
	}
	f := &File{Binding: p.Binding}
	var values []value
	var hidden []live.Option
	for _, o := range opts {
		v := value{Value: o.Value, Label: o.Label, Description: o.Description}
		if v.Label == "" {
			v.Label = o.Value
			f.Notes = append(f.Notes, fmt.Sprintf("option %q has no label in live; the file uses its value, so mops plan will set that label", o.Value))
		}
		if o.Hidden {
			to, ok := replacedBy[o.Value]
			if !ok || !active[to] {
				hidden = append(hidden, o)
				continue
			}
			v.Deprecated, v.ReplacedBy = true, to
			f.Deprecated++
		} else {
			f.Values++
		}
		values = append(values, v)
	}
	if len(hidden) > 0 {
		vals := make([]string, len(hidden))
		for i, o := range hidden {
			vals[i] = o.Value
		}
		counts, err := req.Provider.CountRecords(ctx, p.Binding, vals)
		if err != nil {
			return nil, fmt.Errorf("count records of %s: %w", p.Binding, err)
		}
		for _, o := range hidden {
			f.Hidden = append(f.Hidden, HiddenOption{Value: o.Value, Label: o.Label, Records: counts[o.Value]})
		}
	}
	if !renumbered(p.Options) {
		f.Notes = append(f.Notes, "live display orders are not 0, 1, 2...; the values are in live's display order and mops plan will renumber them once")
	}

	if lifecycle {
		if why := stagesProblem(values); why != "" {
			f.Notes = append(f.Notes, "imported as a Taxonomy, not a LifecycleModel: "+why)
		} else {
			f.Kind = model.KindLifecycleModel
		}
	}
	if f.Kind == "" {
		f.Kind = model.KindTaxonomy
	}
	return f, f.render(req, p, values, specObject, names)
}

// stagesProblem says why values cannot be LifecycleModel stages, or "".
func stagesProblem(values []value) string {
	if len(values) < 2 {
		return "a LifecycleModel needs at least two visible stages"
	}
	for _, v := range values {
		if !stageID.MatchString(v.Value) {
			return fmt.Sprintf("stage %q is not a valid stage id (lower-case letters, digits, - and _)", v.Value)
		}
	}
	return ""
}

// render names the file and encodes it.
func (f *File) render(req Request, p *live.Property, values []value, spec string, names map[model.Key]bool) error {
	var base, folder string
	if f.Kind == model.KindLifecycleModel {
		base, folder = Slug(p.Object+"-lifecycle"), "lifecycle"
	} else {
		base, folder = Slug(p.Object+"-"+p.Property), "taxonomies"
	}
	f.Name = unique(base, p.Binding, func(n string) bool { return names[model.Key{Kind: f.Kind, Name: n}] })
	f.Path = folder + "/" + f.Name + ".yaml"
	head := header(req.System, req.Now, f)
	var doc *node
	if f.Kind == model.KindLifecycleModel {
		doc = lifecycleDoc(f.Name, spec, values, p.Binding)
	} else {
		vals := make([]string, len(values))
		for i, v := range values {
			vals[i] = v.Value
		}
		f.ValueCase = ValueCase(vals)
		doc = taxonomyDoc(f.Name, cmp.Or(p.Label, p.Property), f.ValueCase, values, p.Binding)
	}
	data, err := encode(head, doc)
	if err != nil {
		return fmt.Errorf("encode %s: %w", f.Path, err)
	}
	f.Data = data
	return nil
}

// header is the comment at the top of a file.
func header(system string, now time.Time, f *File) []string {
	lines := []string{fmt.Sprintf("Imported from %s on %s by mops import (%s).", system, now.UTC().Format(time.DateOnly), f.Binding)}
	if len(f.Hidden) > 0 {
		lines = append(lines, "",
			"Hidden in live and left out of this file, because no replacement is",
			"known (a deprecated value needs replacedBy):")
		for _, h := range f.Hidden {
			lines = append(lines, fmt.Sprintf("  - %s (%q): %d record(s) hold it", h.Value, h.Label, h.Records))
		}
		lines = append(lines,
			"mops plan will propose removing these options (and refuse while records",
			"hold one). To keep one retired instead, add it to values with",
			"deprecated: true and replacedBy: <an active value>.")
	}
	for _, n := range f.Notes {
		lines = append(lines, "", "Note: "+n)
	}
	return lines
}

// displayed returns options in live's display order: ascending
// displayOrder with -1 after every other value, ties in live's order.
func displayed(opts []live.Option) []live.Option {
	out := slices.Clone(opts)
	slices.SortStableFunc(out, func(a, b live.Option) int { return cmp.Compare(orderKey(a.DisplayOrder), orderKey(b.DisplayOrder)) })
	return out
}

func orderKey(order int) int {
	if order < 0 {
		return int(^uint(0) >> 1)
	}
	return order
}

// renumbered reports whether the visible options' display orders are
// already 0, 1, 2... in display order, which is what plan writes.
func renumbered(opts []live.Option) bool {
	i := 0
	for _, o := range displayed(opts) {
		if o.Hidden {
			continue
		}
		if o.DisplayOrder != i {
			return false
		}
		i++
	}
	return true
}

// ValueCase returns the first valueCase every value fits: snake_case,
// kebab-case, lower, upper, else any. These are the rules of the
// taxonomy.value-case policy.
func ValueCase(values []string) string {
	for _, c := range []string{"snake_case", "kebab-case", "lower", "upper"} {
		ok := true
		for _, v := range values {
			if !CaseOK(c, v) {
				ok = false
				break
			}
		}
		if ok {
			return c
		}
	}
	return "any"
}

var (
	snakeRE = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	kebabRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// CaseOK reports whether s is written in valueCase c (policies/taxonomy.rego).
func CaseOK(c, s string) bool {
	switch c {
	case "snake_case":
		return snakeRE.MatchString(s)
	case "kebab-case":
		return kebabRE.MatchString(s)
	case "lower":
		return s == strings.ToLower(s)
	case "upper":
		return s == strings.ToUpper(s)
	case "any":
		return true
	}
	return false
}

// Slug turns s into a document name: lower-case letters and digits joined
// by single '-', at most 63 characters (a long name is cut and ends in a
// hash of the whole, so it stays unique).
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	if out == "" {
		return "imported"
	}
	if len(out) > 63 {
		out = strings.TrimRight(out[:54], "-") + "-" + hash8(s)
	}
	return out
}

// unique returns base, or base with a hash of the binding when taken.
func unique(base string, b live.Binding, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	h := hash8(b.String())
	if len(base) > 54 {
		base = strings.TrimRight(base[:54], "-")
	}
	return base + "-" + h
}

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// boundIn lists the bindings the documents of b name in system.
func boundIn(b *model.Bundle, system string) []live.Binding {
	var out []live.Binding
	for _, d := range desiredIn(b, system) {
		out = append(out, d.Binding)
	}
	return out
}

// desiredIn is what the documents of b (may be nil) want of system.
func desiredIn(b *model.Bundle, system string) []*reconcile.DesiredProperty {
	if b == nil {
		return nil
	}
	all, _ := reconcile.Desired(b) // a repository problem is not import's to report
	var out []*reconcile.DesiredProperty
	for _, d := range all {
		if d.Binding.System == system {
			out = append(out, d)
		}
	}
	return out
}

// replacements maps each binding of system to the replacements the
// repository declares for its deprecated values.
func replacements(b *model.Bundle, system string) map[live.Binding]map[string]string {
	out := map[live.Binding]map[string]string{}
	for _, d := range desiredIn(b, system) {
		for _, o := range d.Options {
			if o.Deprecated && o.ReplacedBy != "" {
				if out[d.Binding] == nil {
					out[d.Binding] = map[string]string{}
				}
				out[d.Binding][o.Value] = o.ReplacedBy
			}
		}
	}
	return out
}

// owners is what the output repository already holds.
type owners struct {
	bindings map[live.Binding]plan.Source
	names    map[model.Key]*model.Document
}

func existing(b *model.Bundle, system string) owners {
	o := owners{bindings: map[live.Binding]plan.Source{}, names: map[model.Key]*model.Document{}}
	if b == nil {
		return o
	}
	for _, d := range b.Docs {
		if _, dup := o.names[d.Key()]; !dup {
			o.names[d.Key()] = d
		}
	}
	for _, d := range desiredIn(b, system) {
		o.bindings[d.Binding] = d.Source
	}
	return o
}

// conflict says why f would clash with a document of another file, or "".
// Documents in f's own file are what --force replaces.
func (o owners) conflict(f *File) string {
	if s, ok := o.bindings[f.Binding]; ok && s.File != f.Path {
		return fmt.Sprintf("already bound by %s %s (%s); a property can follow only one document", s.Kind, s.Name, s.File)
	}
	if d := o.names[model.Key{Kind: f.Kind, Name: f.Name}]; d != nil && d.File != f.Path {
		return fmt.Sprintf("a %s named %s already exists in %s", f.Kind, f.Name, d.File)
	}
	return ""
}
