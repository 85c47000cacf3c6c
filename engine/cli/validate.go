package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/namecache"
	"github.com/mops-dev/mops/engine/render"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/validate"
)

func newValidate(env Env, g *globals) *cobra.Command {
	var pathPrefix, changedSince, baseRef string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check every document against the schemas and policies",
		Long: `Load every governance document of the repository, check it against its
JSON Schema and the built-in and repository Rego policies, and report each
finding at file:line:column.

Exit codes: 0 clean or warnings only, 1 a deny finding or a load error,
2 mops could not run (bad flags, unreadable repository).

Formats: ` + strings.Join(render.Formats(), ", "),
		Example: `  mops validate --dir examples/acme
  mops validate --format json > findings.json
  mops validate --changed-since origin/main --format github`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationUsageExit: "2"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, err := os.Stat(g.dir)
			if err != nil || !info.IsDir() {
				return exitf(ExitCannot, "--dir %s is not a folder", g.dir)
			}
			var report *source.Report
			if changedSince != "" {
				report, err = runValidateChanged(cmd.Context(), env, g.dir, changedSince)
			} else {
				report, _, err = runValidateBase(cmd.Context(), env, g.dir, baseRef)
			}
			if err != nil {
				return err
			}
			if pathPrefix == "auto" {
				pathPrefix = gitPrefix(g.dir)
			}
			if err := writeReportPrefixed(env, env.Stdout, g.format, report, pathPrefix); err != nil {
				return exitf(ExitCannot, "%w", err)
			}
			if code := report.ExitCode(); code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&changedSince, "changed-since", "", "report only documents changed since git `REF`, and the documents that depend on them (implies --base REF)")
	cmd.Flags().StringVar(&baseRef, "base", "", "compare documents with git `REF` for the change-aware rules (change.*)")
	cmd.Flags().StringVar(&pathPrefix, "path-prefix", "auto", "`PATH` put before file names in github, sarif, junit and markdown output (default: the repository's folder relative to the git root)")
	return cmd
}

// runValidate loads and checks the repository in dir.
func runValidate(ctx context.Context, env Env, dir string) (*source.Report, *model.Bundle, error) {
	return runValidateBase(ctx, env, dir, "")
}

// runValidateBase is runValidate with change-aware rules against git
// revision baseRef (none when empty).
func runValidateBase(ctx context.Context, env Env, dir, baseRef string) (*source.Report, *model.Bundle, error) {
	v, err := schema.New()
	if err != nil {
		return nil, nil, exitf(ExitCannot, "load schemas: %w", err)
	}
	stage := policyStage{dir: dir, today: env.Now(), baseRef: baseRef, compiled: compilePolicies(ctx, dir, env.Now())}
	report, b, err := validate.Run(ctx, os.DirFS(dir), v, validate.Options{Stages: []validate.Stage{stage}})
	if err != nil {
		return nil, nil, exitf(ExitCannot, "%w", err)
	}
	return report, b, nil
}

// runValidateChanged validates what changed since ref in the git repository
// holding dir, and what depends on it. The base revision's file list, the
// git index and the schemas are read side by side; loading then compares
// each file with the base as it reads it, and skips the campaign files the
// index shows unchanged whose names the names cache holds.
func runValidateChanged(ctx context.Context, env Env, dir, ref string) (*source.Report, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, exitf(ExitCannot, "--changed-since: %w", err)
	}
	stage := policyStage{dir: dir, today: env.Now(), baseRef: ref, compiled: compilePolicies(ctx, dir, env.Now())}
	var (
		wg         sync.WaitGroup
		v          *schema.Validator
		index      *gitrepo.IndexStat
		verr, ierr error
		names      *namecache.Cache
		cachePath  = filepath.Join(dir, filepath.FromSlash(namecache.Path))
	)
	wg.Go(func() { v, verr = schema.New() })
	wg.Go(func() {
		names = namecache.Open(cachePath)
		index = &gitrepo.IndexStat{}
		if names.Len() > 0 { // without names to use, the index is no help
			index, ierr = repo.IndexStat()
		}
	})
	snap, err := repo.Snapshot(ref)
	wg.Wait()
	if err == nil {
		err = ierr
	}
	if err != nil {
		return nil, exitf(ExitCannot, "--changed-since: %w", err)
	}
	if verr != nil {
		return nil, exitf(ExitCannot, "load schemas: %w", verr)
	}
	base := gitBaseline{snap: snap, index: index, names: names}
	report, _, err := validate.RunChanged(ctx, os.DirFS(dir), v, validate.Options{Stages: []validate.Stage{stage}}, base)
	if err != nil {
		return nil, exitf(ExitCannot, "%w", err)
	}
	if err := names.Save(); err != nil {
		// Only the next run's speed depends on it.
		fmt.Fprintf(env.Stderr, "mops: note: %v\n", err)
	}
	return report, nil
}

// gitBaseline is the base revision of a changed-only run: its files from
// git, what the git index knows of the working tree, and the names cache.
type gitBaseline struct {
	snap  gitrepo.Snapshot
	index *gitrepo.IndexStat
	names *namecache.Cache
}

func (b gitBaseline) Same(file string, data []byte) bool { return b.snap.Same(file, data) }

func (b gitBaseline) Files() []string { return b.snap.Files() }

func (b gitBaseline) Names(file string, d fs.DirEntry) ([]load.Name, bool) {
	want, ok := b.snap[file]
	if !ok {
		return nil, false
	}
	info, err := d.Info()
	if err != nil {
		return nil, false
	}
	if h, ok := b.index.Hash(file, info); !ok || h != want {
		return nil, false
	}
	return b.names.Get(want.String(), file)
}

// Scanned caches the names of a file loading found unchanged, so its
// content is the base's blob.
func (b gitBaseline) Scanned(file string, _ []byte, names []load.Name) {
	b.names.Put(b.snap[file].String(), names)
}

// writeReport renders a validation report in format to w.
func writeReport(env Env, w io.Writer, format string, r *source.Report) error {
	return writeReportPrefixed(env, w, format, r, "")
}

func writeReportPrefixed(env Env, w io.Writer, format string, r *source.Report, prefix string) error {
	return render.Write(w, render.Format(format), r, render.Options{
		Color: env.color(w), Version: env.version(), PathPrefix: prefix, Rules: ruleDescriptions(),
	})
}

func newSchema(env Env, g *globals) *cobra.Command {
	var bundle bool
	cmd := &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print the JSON Schemas (for editors and the YAML language server)",
		Long: `Print the JSON Schema (draft 2020-12) of one kind, or with no KIND the root
schema that covers every kind. Its $refs name the other schema files by URL
(https://mops.dev/schemas/v1/...).

For an editor, write the bundle: one self-contained file, every $ref inside
it, so the YAML language server needs no network. mops init writes it to
.mops/mops.schema.json and maps it in .vscode/settings.json:

  mops schema --bundle > .mops/mops.schema.json`,
		Example: `  mops schema Campaign
  mops schema --bundle > .mops/mops.schema.json`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeKinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := ""
			if len(args) == 1 {
				kind = args[0]
			}
			var data []byte
			var err error
			switch {
			case bundle && kind != "":
				return exitf(ExitFailed, "--bundle writes the schema of every kind; give no KIND")
			case bundle:
				data, err = schema.Bundle()
			default:
				data, err = schema.Source(kind)
			}
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			_, err = fmt.Fprintln(env.Stdout, strings.TrimRight(string(data), "\n"))
			return err
		},
	}
	cmd.Flags().BoolVar(&bundle, "bundle", false, "print one self-contained schema (every $ref local), for editors")
	return cmd
}
