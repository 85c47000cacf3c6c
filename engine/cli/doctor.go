package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/doctor"
)

func newDoctor(env Env, g *globals) *cobra.Command {
	var names []string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that each live system can be reached and lets mops do its work",
		Long: `Connect to each system of mops.yaml with the credentials it names and check,
before anything is planned or applied, that they can do what mops will do
for the repository's bindings:
  - HubSpot: the token authenticates, and holds the scopes mops needs for
    each bound object type (property definitions and records, read and
    write; communication_preferences.read when consent policies name
    subscription types); the daily requests left.
  - Salesforce: the token (or OAuth flow) authenticates; the user has API
    Enabled, View Setup and Configuration, View All Data, and Modify
    Metadata Through Metadata API Functions (or Customize Application);
    each bound field exists and is editable; the daily API requests left.
Each missing item comes with how to grant it.

Without --system, every system of mops.yaml is checked; one whose
credential variables are not set here is skipped.

Exit codes: 0 every checked system is ready, 1 something is missing, a
system failed, or no system could be checked.

Formats: ` + strings.Join(doctor.Formats(), ", "),
		Example: `  mops doctor
  mops doctor --system salesforce-prod --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := g.workspace(env, func(f string) error {
				if !slices.Contains(doctor.Formats(), f) {
					return fmt.Errorf("unknown --format %q; use one of %s", f, strings.Join(doctor.Formats(), ", "))
				}
				return nil
			})
			if err != nil {
				return err
			}
			r, err := ws.Doctor(cmd.Context(), names)
			if err != nil {
				return fmt.Errorf("doctor: %w", err)
			}
			if err := doctor.Write(env.Stdout, g.format, r); err != nil {
				return err
			}
			if !r.OK() {
				return exitCode(ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&names, "system", nil, "check only system `NAME` from mops.yaml (repeatable)")
	return cmd
}
