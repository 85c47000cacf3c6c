package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

type importFlags struct {
	system    string
	out       string
	objects   []string
	boundOnly bool
	force     bool
}

func newImport(env Env, g *globals) *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import --out DIR",
		Short: "Write Taxonomy and LifecycleModel YAML for what a live system has now",
		Long: `Bootstrap a governance repository from a live system. For every enumeration
property of the chosen object types (default: contacts and companies; choose
with --object, or only the properties the repository in --dir binds with
--bound-only), import writes into --out:

  taxonomies/<object>-<property>.yaml   a Taxonomy: the visible options as
                                        values, in display order, with their
                                        labels and descriptions; valueCase the
                                        strictest that fits; bound to the property
  lifecycle/<object>-lifecycle.yaml     the lifecyclestage property of contacts
                                        and companies, as a LifecycleModel: the
                                        stages in display order, the last terminal
  mops.yaml                             if absent: a minimal Project with the
                                        system (a sandbox's state and seed paths
                                        rewritten so the new repository reaches
                                        the same sandbox; never a token)

Options hidden in live are written as deprecated values only when the
repository in --dir already names their replacement; otherwise they are left
out and listed in a comment at the top of the file, since mops plan would
then propose removing them. Properties the --out repository already binds
are skipped. An import then validates clean and plans empty.

Existing files are never replaced without --force; import writes the rest
and exits 1 naming the files it kept.

Exit codes: 0 written, 1 error or files kept. Formats: text, json.`,
		Example: `  mops import --dir examples/acme --system sandbox --out ../acme-live
  mops import --system hubspot-prod --object contacts --object deals --out imported
  mops import --system sandbox --bound-only --out . --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.format != "text" && g.format != "json" {
				return exitf(ExitFailed, "unknown format %q; supported: text, json", g.format)
			}
			if f.out == "" {
				return exitf(ExitFailed, "--out DIR is required: the folder to write the imported repository into")
			}
			rep, err := runImport(cmd.Context(), env, g, f)
			if err != nil {
				return err
			}
			if err := writeImport(env, g.format, rep); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if kept := rep.kept(); kept > 0 {
				return exitf(ExitFailed, "%d file(s) already exist in %s and were not replaced; re-run with --force to replace them", kept, f.out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.system, "system", "", "system `NAME` from mops.yaml to read (default: spec.defaultSystem)")
	cmd.Flags().StringVar(&f.out, "out", "", "folder `DIR` to write the YAML into (created if needed)")
	cmd.Flags().StringArrayVar(&f.objects, "object", nil, "object type `TYPE` to import (repeatable; default: contacts and companies)")
	cmd.Flags().BoolVar(&f.boundOnly, "bound-only", false, "import only the properties the repository in --dir binds")
	cmd.Flags().BoolVar(&f.force, "force", false, "replace files that already exist")
	return cmd
}

// importReport is what import did, for the text and json formats.
type importReport struct {
	System   string             `json:"system"`
	Out      string             `json:"out"`
	Objects  []string           `json:"objects"`
	Files    []importedFile     `json:"files"`
	Skipped  []importer.Skipped `json:"skipped"`
	Warnings []string           `json:"warnings"`
}

// importedFile is a generated file and what became of it.
type importedFile struct {
	importer.File
	Status importer.Status `json:"status"`
}

// projectWritten reports whether import wrote a new mops.yaml.
func (r *importReport) projectWritten() bool {
	for _, f := range r.Files {
		if f.Kind == model.KindProject && f.Status == importer.Written {
			return true
		}
	}
	return false
}

func (r *importReport) kept() int {
	n := 0
	for _, f := range r.Files {
		if f.Status == importer.Kept {
			n++
		}
	}
	return n
}

// runImport reads the source repository's Project, connects to the system,
// imports and writes.
func runImport(ctx context.Context, env Env, g *globals, f *importFlags) (*importReport, error) {
	src, err := loadLoose(g.dir)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(g.dir, src, []string{f.system}, env.Getenv, g.systemOptions(env)...)
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	defer sel.Close()
	conn := sel.Open[0]
	sys := conn.System

	var existing *model.Bundle
	projectPath := filepath.Join(f.out, load.ProjectFile)
	hasProject := fileExists(projectPath)
	if hasProject {
		if existing, err = loadLoose(f.out); err != nil {
			return nil, err
		}
	}
	res, err := importer.Import(ctx, importer.Request{
		System: sys.Name, Provider: conn.Provider,
		Objects: f.objects, BoundOnly: f.boundOnly, Source: src, Existing: existing, Now: env.Now(),
	})
	if err != nil {
		return nil, exitf(ExitFailed, "import from %s: %w", sys.Name, err)
	}
	rep := &importReport{System: sys.Name, Out: f.out, Objects: f.objects, Files: []importedFile{}, Skipped: res.Skipped, Warnings: []string{}}
	if len(rep.Objects) == 0 && !f.boundOnly {
		rep.Objects = importer.DefaultObjects()
	}

	if hasProject {
		if p, err := existing.ProjectSpec(); err == nil {
			if _, ok := p.System(sys.Name); !ok {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s has no system %q; add it to spec.systems, since the imported bindings name it", projectPath, sys.Name))
			}
		}
	} else {
		moved, err := importer.Relocate(sys, g.dir, f.out)
		if err != nil {
			return nil, exitf(ExitFailed, "%w", err)
		}
		abs, err := filepath.Abs(f.out)
		if err != nil {
			return nil, exitf(ExitFailed, "%w", err)
		}
		data, err := importer.ProjectFile(filepath.Base(abs), moved, env.Now())
		if err != nil {
			return nil, exitf(ExitFailed, "%w", err)
		}
		st, err := importer.WriteFile(projectPath, data, false)
		if err != nil {
			return nil, exitf(ExitFailed, "%w", err)
		}
		rep.Files = append(rep.Files, importedFile{File: importer.File{Path: load.ProjectFile, Kind: model.KindProject, Name: importer.Slug(filepath.Base(abs))}, Status: st})
	}

	outcomes, err := importer.Write(f.out, res.Files, f.force)
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	for i, o := range outcomes {
		rep.Files = append(rep.Files, importedFile{File: res.Files[i], Status: o.Status})
	}
	return rep, nil
}

// loadLoose loads the repository in dir without validating its documents:
// import reads a repository only for its Project, bindings and deprecated
// values, so only a broken mops.yaml stops it.
func loadLoose(dir string) (*model.Bundle, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, exitf(ExitFailed, "--dir %s is not a folder", dir)
	}
	b, findings, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	for _, f := range findings {
		if f.Blocking() && f.File == load.ProjectFile {
			return nil, exitf(ExitFailed, "%s: %s:%d:%d: %s", dir, f.File, f.Line, f.Column, f.Message)
		}
	}
	return b, nil
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// importFormat is the formatVersion of `mops import --format json`.
const importFormat = 1

func writeImport(env Env, format string, r *importReport) error {
	if format == "json" {
		return encodeJSON(env.Stdout, struct {
			FormatVersion int `json:"formatVersion"`
			*importReport
		}{importFormat, r})
	}
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
	if r.projectWritten() {
		b.WriteString("Before mops apply, add a RACI document: apply asks the accountable role of the activity that governs Taxonomy and LifecycleModel changes.\n")
	}
	_, err := env.Stdout.Write(b.Bytes())
	return err
}
