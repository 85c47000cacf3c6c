package planview

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/model"
)

// ImportFormatSet is the formats of an import report: text and json.
func ImportFormatSet() format.Set[*importer.Report, Options] {
	return format.New("import", map[string]format.Writer[*importer.Report, Options]{
		"text": ImportText,
		"json": func(w io.Writer, r *importer.Report, o Options) error {
			return writeJSON(w, struct {
				FormatVersion int `json:"formatVersion"`
				*importer.Report
			}{ImportFormatVersion, r}, o)
		},
	})
}

// ImportFormatVersion is the formatVersion of the import report's json.
const ImportFormatVersion = 1

// ImportText writes what an import wrote, kept and skipped, and what to do
// next.
func ImportText(w io.Writer, r *importer.Report, _ Options) error {
	var b bytes.Buffer
	objects := strings.Join(r.Objects, ", ")
	if objects == "" {
		objects = "bound properties"
	}
	fmt.Fprintf(&b, "mops import: %s (%s) into %s\n\n", r.System, objects, r.Out)
	width := 0
	for _, f := range r.Files {
		width = max(width, len(f.Path))
	}
	for _, s := range r.Skipped {
		width = max(width, len(s.Binding.Object+"."+s.Binding.Property))
	}
	written, kept := 0, 0
	for _, f := range r.Files {
		what := fmt.Sprintf("%s %s", f.Kind, f.Name)
		switch f.Kind {
		case model.KindTaxonomy:
			what += fmt.Sprintf(": %d value(s), %s", f.Values, f.ValueCase)
			if f.Deprecated > 0 {
				what += fmt.Sprintf(", %d deprecated", f.Deprecated)
			}
		case model.KindLifecycleModel:
			what += fmt.Sprintf(": %d stage(s)", f.Values)
		case model.KindProject:
			what += ", system " + r.System
		case "":
			what = "seed of sandbox " + f.Name + ": what it holds now"
		}
		if f.Status == importer.Kept {
			kept++
			what = "exists; not replaced (use --force)"
		} else {
			written++
		}
		fmt.Fprintf(&b, "  %-8s %-*s  %s\n", f.Status, width, f.Path, what)
		if f.Status == importer.Kept {
			continue
		}
		if len(f.Hidden) > 0 {
			var hs []string
			for _, h := range f.Hidden {
				hs = append(hs, fmt.Sprintf("%s (%d record(s))", h.Value, h.Records))
			}
			fmt.Fprintf(&b, "  %-8s %-*s  ! %d hidden option(s) left out, no replacement known: %s; mops plan will propose removing them\n", "", width, "", len(f.Hidden), strings.Join(hs, ", "))
		}
		for _, n := range f.Notes {
			fmt.Fprintf(&b, "  %-8s %-*s  note: %s\n", "", width, "", n)
		}
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  %-8s %-*s  %s\n", "skipped", width, s.Binding.Object+"."+s.Binding.Property, s.Reason)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "\n! %s\n", w)
	}
	noun := "properties"
	if len(r.Skipped) == 1 {
		noun = "property"
	}
	fmt.Fprintf(&b, "\nWrote %d file(s), kept %d, skipped %d %s.", written, kept, len(r.Skipped), noun)
	if written > 0 {
		fmt.Fprintf(&b, " Next: mops validate --dir %s && mops plan --dir %s", r.Out, r.Out)
	}
	b.WriteByte('\n')
	if r.ProjectWritten() {
		b.WriteString("Before mops apply, add a RACI document: apply asks the accountable role of the activity that governs Taxonomy and LifecycleModel changes.\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
