package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

// projectOnly reads just mops.yaml, for commands that need no documents.
func projectOnly(dir string) (model.Project, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return model.Project{}, exitf(ExitFailed, "--dir %s is not a folder", dir)
	}
	b, findings, err := load.Load(os.DirFS(dir), load.Options{Only: func(string) bool { return false }})
	if err != nil {
		return model.Project{}, exitf(ExitFailed, "%w", err)
	}
	for _, f := range findings {
		if f.Blocking() {
			return model.Project{}, exitf(ExitFailed, "%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message)
		}
	}
	proj, err := b.ProjectSpec()
	if err != nil {
		return proj, exitf(ExitFailed, "%w", err)
	}
	return proj, nil
}

func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
	}
	return t, nil
}

func filterLog(recs []changelog.Record, system, since, until string) ([]changelog.Record, error) {
	var from, to time.Time
	var err error
	if since != "" {
		if from, err = parseWhen(since); err != nil {
			return nil, fmt.Errorf("--since: %w", err)
		}
	}
	if until != "" {
		if to, err = parseWhen(until); err != nil {
			return nil, fmt.Errorf("--until: %w", err)
		}
	}
	var out []changelog.Record
	for _, r := range recs {
		if system != "" && r.System != system {
			continue
		}
		if !from.IsZero() && r.Time.Before(from) {
			continue
		}
		if !to.IsZero() && !r.Time.Before(to) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// logFormat is the formatVersion of `mops log --format json`.
const logFormat = 1

func writeLog(env Env, format string, recs []changelog.Record) error {
	switch format {
	case "json":
		out := struct {
			FormatVersion int                `json:"formatVersion"`
			Records       []changelog.Record `json:"records"`
		}{logFormat, recs}
		if out.Records == nil {
			out.Records = []changelog.Record{}
		}
		return encodeJSON(env.Stdout, out)
	case "text":
	default:
		return fmt.Errorf("unknown format %q; supported: text, json", format)
	}
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(recordLine(r))
		b.WriteByte('\n')
	}
	if len(recs) == 0 {
		b.WriteString("No change log records (none yet, or none match the filters).\n")
	}
	_, err := fmt.Fprint(env.Stdout, b.String())
	return err
}

// recordLine is one record of the change log as text.
func recordLine(r changelog.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%4d  %s  %-9s %-10s %s  %s", r.Seq, r.Time.Format(time.RFC3339), r.Type, r.Result, r.System, r.Actor)
	switch {
	case r.Change != nil && r.Type == changelog.Change:
		fmt.Fprintf(&b, "  %d. %s %s: %s", r.Change.Seq, r.Change.Action, r.Change.Target, r.Change.Summary)
	case r.Type == changelog.RunStart:
		fmt.Fprintf(&b, "  plan %s", short(r.PlanHash))
		if len(r.Approvers) > 0 {
			fmt.Fprintf(&b, " approved by %s", strings.Join(r.Approvers, ", "))
		}
		if r.Emergency != "" {
			fmt.Fprintf(&b, " EMERGENCY: %s", r.Emergency)
		}
	case r.Type == changelog.Batch && r.Change != nil:
		fmt.Fprintf(&b, "  batch of %s", r.Change.Target)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "  error: %s", r.Error)
	}
	return b.String()
}

// writeVerdict prints what `mops log --verify` found: that the chain is
// intact, or where it first breaks and the record there.
func writeVerdict(env Env, format, path string, recs []changelog.Record, problems []changelog.Problem) error {
	switch format {
	case "json":
		out := struct {
			FormatVersion int                 `json:"formatVersion"`
			Verified      bool                `json:"verified"`
			Records       int                 `json:"recordCount"`
			Problems      []changelog.Problem `json:"problems"`
		}{logFormat, len(problems) == 0, len(recs), problems}
		if out.Problems == nil {
			out.Problems = []changelog.Problem{}
		}
		return encodeJSON(env.Stdout, out)
	case "text":
	default:
		return fmt.Errorf("unknown format %q; supported: text, json", format)
	}
	if len(problems) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "Verified: the hash chain of %d record(s) in %s is intact.\n", len(recs), path)
		return err
	}
	first := problems[0]
	var b strings.Builder
	fmt.Fprintf(&b, "TAMPERED: %s breaks at line %d (seq %d): %s\n", path, first.Line, first.Seq, first.Message)
	for _, r := range recs {
		if r.Seq == first.Seq {
			fmt.Fprintf(&b, "%s\n", recordLine(r))
			break
		}
	}
	if n := len(problems) - 1; n > 0 {
		fmt.Fprintf(&b, "%d more problem(s) after it (mops log --verify --format json lists them all).\n", n)
	}
	_, err := fmt.Fprint(env.Stdout, b.String())
	return err
}
