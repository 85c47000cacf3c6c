package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/render"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/validate"
)

func newValidate(env Env, g *globals) *cobra.Command {
	var pathPrefix string
	var req validate.Request
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
		Annotations: map[string]string{annotationCannot: "2"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			formats := render.FormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			req.Dir, req.Now = ws.Dir, env.Now()
			req.Note = func(err error) { fmt.Fprintf(env.Stderr, "mops: note: %s\n", source.Escape(err.Error())) }
			report, err := validate.Repository(cmd.Context(), req)
			if err != nil {
				return err
			}
			opts := render.Options{Color: env.color(env.Stdout), Version: env.version(), PathPrefix: ws.PathPrefix(pathPrefix), Rules: validate.RuleDescriptions()}
			if err := formats.Write(env.Stdout, g.format, report, opts); err != nil {
				return err
			}
			return result(report.ExitCode())
		},
	}
	cmd.Flags().StringVar(&req.ChangedSince, "changed-since", "", "report only documents changed since git `REF`, and the documents that depend on them (implies --base REF)")
	cmd.Flags().StringVar(&req.Base, "base", "", "compare documents with git `REF` for the change-aware rules (change.*)")
	cmd.Flags().StringVar(&pathPrefix, "path-prefix", "auto", "`PATH` put before file names in github, sarif, junit and markdown output (default: the repository's folder relative to the git root)")
	return cmd
}

func newSchema(env Env) *cobra.Command {
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
			kind := strings.Join(args, "")
			var data []byte
			var err error
			switch {
			case bundle && kind != "":
				return errors.New("--bundle writes the schema of every kind; give no KIND")
			case bundle:
				data, err = schema.Bundle()
			default:
				data, err = schema.Source(kind)
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(env.Stdout, strings.TrimRight(string(data), "\n"))
			return err
		},
	}
	cmd.Flags().BoolVar(&bundle, "bundle", false, "print one self-contained schema (every $ref local), for editors")
	return cmd
}
