package cli

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/semdiff"
)

func newDiff(env Env, g *globals) *cobra.Command {
	d := &diffCmd{env: env, g: g}
	cmd := &cobra.Command{
		Use:   "diff --base REF [--head REF]",
		Short: "Show the semantic diff of governance between two git revisions",
		Long: `Compare the governance documents at git revision --base with those at --head
(default: the working tree, including uncommitted edits) and report what
changed in review terms: taxonomy values added, removed, relabelled,
reordered or deprecated; lifecycle stages and transitions; naming templates
and tokens; RACI assignments; SLA targets; consent rules (flagged as
compliance-relevant, loosened or tightened); campaign fields. Documents are
paired by kind and name. No live system is contacted.

REF is anything git understands: a branch (main, origin/main), a tag, a
commit hash, HEAD~1. In a shallow CI clone, fetch the base first
(actions/checkout with fetch-depth: 0).

Exit codes: 0 whether or not there are differences, 2 mops could not run
(unknown revision, not a git repository, bad flags).

Formats: ` + strings.Join(semdiff.Formats(), ", ") + ` (markdown is a pull-request comment with
Mermaid diagrams of changed lifecycle models, summarised to fit GitHub's
65,536-character limit).`,
		Example: `  mops diff --base origin/main
  mops diff --base v1.4.0 --head HEAD --format json
  mops diff --dir examples/acme --base HEAD~1 --format markdown > comment.md`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationUsageExit: "2"},
		RunE:        func(cmd *cobra.Command, _ []string) error { return d.run() },
	}
	cmd.Flags().StringVar(&d.base, "base", "", "git revision to compare from (`REF`: branch, tag, commit, HEAD~1)")
	cmd.Flags().StringVar(&d.head, "head", "", "git revision to compare to (`REF`; default: the working tree)")
	_ = cmd.MarkFlagRequired("base")
	return cmd
}

// diffCmd runs `mops diff`; its methods keep the command's helpers out of
// the package namespace.
type diffCmd struct {
	env        Env
	g          *globals
	base, head string
}

// maxLoadWarnings bounds how many load findings of one side are printed.
const maxLoadWarnings = 10

func (d *diffCmd) run() error {
	if !slices.Contains(semdiff.Formats(), d.g.format) {
		return exitf(ExitCannot, "unknown format %q for diff; supported: %s", d.g.format, strings.Join(semdiff.Formats(), ", "))
	}
	if info, err := os.Stat(d.g.dir); err != nil || !info.IsDir() {
		return exitf(ExitCannot, "--dir %s is not a folder", d.g.dir)
	}
	repo, err := gitrepo.Open(d.g.dir)
	if err != nil {
		return exitf(ExitCannot, "%w; mops diff compares git revisions, so run it in a clone", err)
	}
	baseFS, baseSide, err := d.revision(repo, d.base)
	if err != nil {
		return exitf(ExitCannot, "--base: %w", err)
	}
	headFS, headSide := fs.FS(os.DirFS(d.g.dir)), semdiff.Side{}
	if d.head != "" {
		if headFS, headSide, err = d.revision(repo, d.head); err != nil {
			return exitf(ExitCannot, "--head: %w", err)
		}
	}
	baseBundle, err := d.load("base", baseSide, baseFS)
	if err != nil {
		return exitf(ExitCannot, "%w", err)
	}
	headBundle, err := d.load("head", headSide, headFS)
	if err != nil {
		return exitf(ExitCannot, "%w", err)
	}
	report := semdiff.Diff(baseBundle, headBundle)
	report.Base, report.Head = baseSide, headSide
	opts := semdiff.Options{Color: d.env.color(d.env.Stdout)}
	if err := semdiff.Write(d.env.Stdout, semdiff.Format(d.g.format), report, opts); err != nil {
		return exitf(ExitCannot, "%w", err)
	}
	return nil
}

// revision opens the governance folder at ref.
func (d *diffCmd) revision(repo *gitrepo.Repo, ref string) (fs.FS, semdiff.Side, error) {
	fsys, c, err := repo.FS(ref)
	if err != nil {
		return nil, semdiff.Side{}, err
	}
	return fsys, semdiff.Side{Ref: ref, Commit: c.Hash}, nil
}

// load loads one side. Load findings do not stop the diff: they are
// printed to stderr as warnings, and the documents that did load are
// compared.
func (d *diffCmd) load(name string, side semdiff.Side, fsys fs.FS) (*model.Bundle, error) {
	b, findings, err := load.Load(fsys, load.Options{})
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", name, side.Title(), err)
	}
	if len(findings) == 0 {
		return b, nil
	}
	w := d.env.Stderr
	problems := "1 load problem"
	if len(findings) > 1 {
		problems = fmt.Sprintf("%d load problems", len(findings))
	}
	fmt.Fprintf(w, "mops: warning: %s %s has %s; documents that could not be read are left out of the diff:\n", name, side.Title(), problems)
	for i, f := range findings {
		if i == maxLoadWarnings {
			fmt.Fprintf(w, "  …and %d more (run mops validate on that revision)\n", len(findings)-i)
			break
		}
		pos := f.File
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		}
		fmt.Fprintf(w, "  %s: %s\n", pos, f.Message)
	}
	return b, nil
}
