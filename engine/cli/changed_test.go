package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/namecache"
	"github.com/mops-dev/mops/engine/source"
)

// edit replaces old with new in file (relative to dir), failing when old is
// not there, so the test cannot silently edit nothing.
func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(file))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChangedSinceMatchesFullRun: --changed-since reports exactly the
// findings a full run reports for the changed documents and those that
// depend on them.
func TestChangedSinceMatchesFullRun(t *testing.T) {
	cases := []struct {
		name string
		// change edits the committed example in gov/.
		change func(t *testing.T, gov string)
		// only lists the files whose full-run findings must be reported;
		// nil means every file (the change reaches every campaign).
		only    []string
		minDeny int
	}{
		{
			name: "one campaign breaks naming and duplicates a name",
			change: func(t *testing.T, gov string) {
				edit(t, gov, "campaigns/fy27-q3.yaml", "name: FY27-Q3-north_america-event-saastr_annual", "name: FY27-Q3-nort_america-event-saastr_annual")
				data, err := os.ReadFile(filepath.Join(gov, "campaigns/fy27-q2.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				// A new file holding a copy of an unchanged campaign: a
				// duplicate name the shallow read must still catch.
				first := strings.SplitN(string(data), "\n---", 2)[0]
				if err := os.WriteFile(filepath.Join(gov, "campaigns/zz-copy.yaml"), []byte(first), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			only:    []string{"campaigns/fy27-q3.yaml", "campaigns/zz-copy.yaml"},
			minDeny: 2,
		},
		{
			name: "the lead-time SLA tightens: every campaign is checked again",
			change: func(t *testing.T, gov string) {
				edit(t, gov, "slas/campaign-lead-time.yaml", "target: 10bd", "target: 40bd")
			},
			minDeny: 5,
		},
		{
			name: "a repository policy changes: everything is checked again",
			change: func(t *testing.T, gov string) {
				rule := "package mops.acme.email_owner\n\ndeny contains f if {\n\tinput.kind == \"Campaign\"\n\tinput.spec.channel == \"email\"\n\tf := {\"rule\": \"acme.email-owner\", \"message\": \"email campaigns need sign-off\", \"path\": \"spec.channel\"}\n}\n"
				if err := os.WriteFile(filepath.Join(gov, "policies", "email_owner.rego"), []byte(rule), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			minDeny: 2,
		},
		{
			name: "a channel value is deprecated: campaigns using it are refused",
			change: func(t *testing.T, gov string) {
				edit(t, gov, "taxonomies/channel.yaml", "    - value: webinar\n      label: Webinar\n", "    - value: webinar\n      label: Webinar\n      deprecated: true\n      replacedBy: event\n")
			},
			minDeny: 2,
		},
		{
			name: "a campaign file is deleted and another breaks: everything is checked again",
			change: func(t *testing.T, gov string) {
				if err := os.Remove(filepath.Join(gov, "campaigns/fy26-q4.yaml")); err != nil {
					t.Fatal(err)
				}
				edit(t, gov, "campaigns/fy27-q3.yaml", "name: FY27-Q3-north_america-event-saastr_annual", "name: FY27-Q3-nort_america-event-saastr_annual")
			},
			minDeny: 1,
		},
		{
			name: "mops.yaml changes: everything is checked again",
			change: func(t *testing.T, gov string) {
				edit(t, gov, "mops.yaml", "    channel: channel\n", "    channel: region\n")
			},
			minDeny: 5,
		},
		{
			name: "an ignored file changes and a campaign file is only touched: nothing but the edit is checked",
			change: func(t *testing.T, gov string) {
				if err := os.WriteFile(filepath.Join(gov, "live", "notes.yaml"), []byte("not: [governance"), 0o644); err != nil {
					t.Fatal(err)
				}
				now := time.Now().Add(time.Hour)
				if err := os.Chtimes(filepath.Join(gov, "campaigns/fy27-q2.yaml"), now, now); err != nil {
					t.Fatal(err)
				}
				edit(t, gov, "campaigns/fy27-q3.yaml", "name: FY27-Q3-north_america-event-saastr_annual", "name: FY27-Q3-nort_america-event-saastr_annual")
			},
			only:    []string{"campaigns/fy27-q3.yaml"},
			minDeny: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := gitrepotest.New(t)
			r.CopyDir("../../examples/acme", "gov")
			r.Remove("gov/.mops", "gov/.github")
			r.Commit("governance")
			gov := filepath.Join(r.Dir, "gov")
			c.change(t, gov)

			// The full run knows the same base (--changed-since implies
			// --base): history-aware rules depend on it.
			fullOut, _, code := run(t, "validate", "--format", "json", "--dir", gov, "--base", "HEAD")
			if code != 1 {
				t.Fatalf("full run exit %d, want 1:\n%s", code, fullOut)
			}
			full := findings(t, fullOut)
			// The first changed-only run reads every file and fills the
			// names cache; the second skips the campaign files the git
			// index shows unchanged. Both must report the same.
			chOut, stderr, code := run(t, "validate", "--format", "json", "--dir", gov, "--changed-since", "HEAD")
			if code != 1 {
				t.Fatalf("changed run exit %d, want 1:\n%s%s", code, chOut, stderr)
			}
			if c.only != nil {
				if _, err := os.Stat(filepath.Join(gov, namecache.Path)); err != nil {
					t.Errorf("the changed-only run left no names cache: %v", err)
				}
			}
			warmOut, stderr, code := run(t, "validate", "--format", "json", "--dir", gov, "--changed-since", "HEAD")
			if code != 1 || warmOut != chOut {
				t.Fatalf("second changed run (names cached) exit %d and output differs from the first:\n%s%s", code, warmOut, stderr)
			}
			changed := findings(t, chOut)

			var want []source.Finding
			for _, f := range full.Findings {
				if c.only == nil || contains(c.only, f.File) {
					want = append(want, f)
				}
			}
			if diff := cmp.Diff(want, changed.Findings); diff != "" {
				t.Errorf("changed-only findings differ from the full run's for the same documents (-full +changed):\n%s", diff)
			}
			if c.only == nil && changed.Summary.Documents != full.Summary.Documents {
				t.Errorf("changed run checked %d documents, full run %d: this change must check everything", changed.Summary.Documents, full.Summary.Documents)
			}
			if c.only != nil && changed.Summary.Documents >= full.Summary.Documents {
				t.Errorf("changed run checked %d documents, full run %d: unchanged campaigns must not be parsed", changed.Summary.Documents, full.Summary.Documents)
			}
			if changed.Summary.Deny < c.minDeny {
				t.Errorf("changed run found %d deny, want at least %d: the change must be caught", changed.Summary.Deny, c.minDeny)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestChangedSinceUnknownRefExits2(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance")
	_, stderr, code := run(t, "validate", "--dir", filepath.Join(r.Dir, "gov"), "--changed-since", "no-such-branch")
	if code != 2 || !strings.Contains(stderr, "no-such-branch") {
		t.Fatalf("exit %d, stderr %q; want 2 naming the ref", code, stderr)
	}
}

// TestChangeAwareRules: with a base revision, removing a taxonomy value is
// denied and loosening a consent policy is a warning naming the RACI role
// accountable for consent.
func TestChangeAwareRules(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance")
	gov := filepath.Join(r.Dir, "gov")
	edit(t, gov, "taxonomies/lead-source.yaml", "    - value: webinar\n      label: Webinar\n", "")
	edit(t, gov, "consent/eu-gdpr.yaml", "      lawfulBasis: [consent]\n      optIn: double\n      subscriptionType: marketing-newsletter", "      lawfulBasis: [consent]\n      optIn: single\n      subscriptionType: marketing-newsletter")

	for _, args := range [][]string{{"--changed-since", "HEAD"}, {"--base", "HEAD"}} {
		out, _, code := run(t, append([]string{"validate", "--format", "json", "--dir", gov}, args...)...)
		if code != 1 {
			t.Fatalf("%v: exit %d, want 1", args, code)
		}
		var removed, loosened bool
		for _, f := range findings(t, out).Findings {
			switch f.Rule {
			case "change.value-removed":
				removed = f.File == "taxonomies/lead-source.yaml" && strings.Contains(f.Message, "value 'webinar' was removed")
			case "change.consent-loosened":
				loosened = f.Severity == "warn" && f.File == "consent/eu-gdpr.yaml" && strings.Contains(f.Message, "opt-in for channel email was lowered from double to single") && strings.Contains(f.Message, "role legal")
			}
		}
		if !removed || !loosened {
			t.Errorf("%v: value-removed %v, consent-loosened %v:\n%s", args, removed, loosened, out)
		}
	}
	// Without a base the change rules have nothing to compare.
	out, _, _ := run(t, "validate", "--format", "json", "--dir", gov)
	if strings.Contains(out, "change.value-removed") {
		t.Errorf("change rules fired without a base revision:\n%s", out)
	}
}

func TestChangedSinceShallowCloneSaysHowToFetch(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance")
	r.MakeShallow()
	_, stderr, code := run(t, "validate", "--dir", filepath.Join(r.Dir, "gov"), "--changed-since", "upstream/main")
	if code != 2 || !strings.Contains(stderr, "shallow clone without upstream/main; fetch full history (actions/checkout with fetch-depth: 0") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestChangedSinceWithoutWritableCache checks that a names cache that
// cannot be written costs a note on stderr, not the run.
func TestChangedSinceWithoutWritableCache(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance")
	gov := filepath.Join(r.Dir, "gov")
	// .mops is a file: the cache folder cannot be created.
	if err := os.WriteFile(filepath.Join(gov, ".mops"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "validate", "--dir", gov, "--changed-since", "HEAD")
	if code != 0 || !strings.Contains(stdout, "clean") || !strings.Contains(stderr, "mops: note: save names cache:") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}

// TestDeprecatingSparesHistory is issue 18's case: deprecating webinar in
// favour of event in lead-source. Five campaigns say webinar; the one that
// ended on 2026-11-19 (before this run's today, 2026-11-27) is history. A
// pull request that leaves its file alone is refused for the four running
// ones only; one that edits its file is refused for it too; without a base
// it is a warning.
func TestDeprecatingSparesHistory(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance")
	gov := filepath.Join(r.Dir, "gov")
	edit(t, gov, "taxonomies/lead-source.yaml", "    - value: webinar\n      label: Webinar\n", "    - value: webinar\n      label: Webinar\n      deprecated: true\n      replacedBy: event\n")
	const history = "campaigns/fy26-q4.yaml:36"

	at := func(args ...string) (deny, warn []string) {
		t.Helper()
		out, _, _ := run(t, append([]string{"validate", "--format", "json", "--dir", gov}, args...)...)
		for _, f := range findings(t, out).Findings {
			where := fmt.Sprintf("%s:%d", f.File, f.Line)
			switch {
			case f.Rule == "campaign.taxonomy" && strings.Contains(f.Message, "leadSource 'webinar' is deprecated"):
				deny = append(deny, where)
			case f.Rule == "campaign.history-value":
				warn = append(warn, where)
			}
		}
		return deny, warn
	}
	for _, args := range [][]string{{"--changed-since", "HEAD"}, {"--base", "HEAD"}} {
		deny, warn := at(args...)
		if len(deny) != 4 || contains(deny, history) || len(warn) != 0 {
			t.Errorf("%v, history untouched: deny %v, warn %v; want 4 denies, none at %s", args, deny, warn, history)
		}
	}
	deny, warn := at()
	if len(deny) != 4 || !slices.Equal(warn, []string{history}) {
		t.Errorf("no base: deny %v, warn %v; want 4 denies and a warning at %s", deny, warn, history)
	}
	edit(t, gov, "campaigns/fy26-q4.yaml", `"Live webinar: data governance basics for analytics teams."`, `"Live webinar: data governance basics."`)
	deny, _ = at("--changed-since", "HEAD")
	if len(deny) != 5 || !contains(deny, history) {
		t.Errorf("history edited: deny %v; want 5 denies, one at %s", deny, history)
	}
}
