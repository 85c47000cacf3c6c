package validate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/repogen"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// day is the date the equivalence runs validate on.
var day = time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)

// TestStreamMatchesRun: streaming the campaigns gives exactly the report
// of loading them all (findings, summary, and the lines the text report
// quotes) on the example, every broken fixture, and a generated
// repository with problems of every kind planted among its campaigns,
// whether the repository's policies read no campaign through input.index,
// some fields of them, or whole campaigns.
func TestStreamMatchesRun(t *testing.T) {
	v, err := schema.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("acme", func(t *testing.T) { sameReports(t, v, "../../examples/acme", 0) })
	broken, _ := filepath.Glob("../cli/testdata/broken/*")
	for _, dir := range broken {
		t.Run(filepath.Base(dir), func(t *testing.T) { sameReports(t, v, dir, 1) })
	}
	t.Run("a campaign file that hides another kind", func(t *testing.T) {
		// Its lines pass for campaigns only (the SLA follows a "--- " on
		// the same line); parsing it again shows the SLA, and the stream
		// checks the repository the long way.
		dir := t.TempDir()
		write(t, dir, "mops.yaml", "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: p\nspec: {}\n")
		write(t, dir, "campaigns/a.yaml", "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: a\nspec: {}\n"+
			"--- {apiVersion: mops.dev/v1, kind: SLA, metadata: {name: s}, spec: {type: campaign-lead-time, target: 10bd}}\n")
		_, stream := sameReports(t, v, dir, 1)
		if stream.Summary.Documents != 3 {
			t.Errorf("%d documents checked, want the Project, the campaign and the SLA", stream.Summary.Documents)
		}
	})
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	for _, c := range []struct {
		name   string
		policy string
		n      int
	}{
		{"generated, built-in policies", "", n},
		{"generated, a policy reading fields of campaigns", fieldsPolicy, 2_000},
		{"generated, a policy reading whole campaigns", wholePolicy, 1_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := plantedRepo(t, c.n, c.policy)
			run, stream := sameReports(t, v, dir, 6)
			// Guard the test: the stream held only the files with
			// findings, so it did stream rather than fall back to Run.
			if len(stream.Sources) > len(run.Sources)/10 {
				t.Errorf("the stream kept %d files of %d: it did not stream", len(stream.Sources), len(run.Sources))
			}
		})
	}
}

// sameReports validates dir both ways and fails on any difference. The
// reports must hold at least want distinct rules, or the comparison
// proves little.
func sameReports(t *testing.T, v *schema.Validator, dir string, want int) (run, stream *source.Report) {
	t.Helper()
	ctx := context.Background()
	opts := func() Options { return Options{Stages: []Stage{newPolicyStage(ctx, dir, day, "")}} }
	run, _, err := Run(ctx, repofs.DirFS(dir), v, opts())
	if err != nil {
		t.Fatal(err)
	}
	stream, err = Stream(ctx, repofs.DirFS(dir), v, opts())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(run.Findings, stream.Findings); diff != "" {
		t.Errorf("findings differ (-run +stream):\n%s", diff)
	}
	if diff := cmp.Diff(run.Summary, stream.Summary); diff != "" {
		t.Errorf("summaries differ (-run +stream):\n%s", diff)
	}
	rules := map[string]bool{}
	for _, f := range run.Findings {
		rules[f.Rule] = true
		if string(run.Sources[f.File]) != string(stream.Sources[f.File]) {
			t.Errorf("%s: the stream keeps other content for the text report", f.File)
		}
	}
	if len(rules) < want {
		t.Errorf("only %d rules found (%v), want at least %d", len(rules), rules, want)
	}
	return run, stream
}

// fieldsPolicy reads two fields of other campaigns through input.index.
const fieldsPolicy = `package mops.family

deny contains {"rule": "family.parent", "message": sprintf("parent campaign %s does not exist", [p]), "path": "metadata.labels.parent"} if {
	input.kind == "Campaign"
	p := input.metadata.labels.parent
	not input.index.Campaign[p]
}

warn contains {"rule": "family.owner", "message": sprintf("the parent campaign is owned by %s", [parent.metadata.owner]), "path": "metadata.owner"} if {
	input.kind == "Campaign"
	parent := input.index.Campaign[input.metadata.labels.parent]
	parent.metadata.owner != input.metadata.owner
	parent.spec.channel == input.spec.channel
}
`

// wholePolicy compares whole campaigns.
const wholePolicy = `package mops.family

warn contains {"rule": "family.twin", "message": sprintf("same spec as %s", [name])} if {
	input.kind == "Campaign"
	some name, c in input.index.Campaign
	name == input.metadata.labels.twin
	object.keys(c) == object.keys(input.index.Campaign[name])
	c.spec.channel == input.spec.channel
}
`

// plantedRepo writes a generated repository of n campaigns with problems
// of every kind planted among them, and policy (if any) as a repository
// policy.
func plantedRepo(t *testing.T, n int, policy string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	if err := repogen.Write(dir, os.DirFS("../../examples/acme"), n); err != nil {
		t.Fatal(err)
	}
	if policy != "" {
		write(t, dir, "policies/family.rego", policy)
	}
	name := func(i int) string { return repogen.Campaign(i).MetadataName() }
	path := func(i int) string { return fmt.Sprintf("campaigns/gen-%05d.yaml", i) }
	edit := func(i int, old, new string) {
		t.Helper()
		file := filepath.Join(dir, path(i))
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s holds no %q", path(i), old)
		}
		write(t, dir, path(i), strings.Replace(string(data), old, new, 1))
	}
	labels := regexp.MustCompile(`labels: \{generated: "true"\}`)
	label := func(i int, extra string) {
		t.Helper()
		file := filepath.Join(dir, path(i))
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, path(i), labels.ReplaceAllString(string(data), `labels: {generated: "true", `+extra+`}`))
	}
	edit(10, "name: "+name(10), "name: "+name(5))           // a duplicate of an earlier file
	edit(20, "channel: ", "channel: 42\n  chanel: ")        // schema: wrong type, unknown field
	edit(30, "channel: ", "channel: carrier_pigeon\n  x: ") // policy: not a taxonomy value (and schema)
	edit(40, "spec:", "spec: [")                            // invalid YAML
	edit(50, "owner: ", "waivers:\n    - {rule: campaign.taxonomy, until: 2027-02-01, reason: pilot, approvedBy: mops-lead}\n  owner: ")
	edit(50, "regions: [", "regions: [mars, ")
	edit(60, "metadata:\n  name: ", "metadata:\n  name: \"quoted-\"\n  nom: ") // not read shallowly; an unknown field
	edit(70, "  name: "+name(70), "  name: \""+name(70)+"\"")                  // parsed in the first pass
	for i := 100; i < min(n, 400); i += 7 {
		label(i, "parent: "+name(i-1)+", twin: "+name(i+1))
	}
	label(90, "parent: no-such-campaign")
	write(t, dir, "campaigns/aa-first.yaml", strings.Replace(campaignText(t, dir, path(80)), "name: "+name(80), "name: "+name(81), 1))
	write(t, dir, "campaigns/zz-mixed.yaml", campaignText(t, dir, path(3))+"---\n"+
		"apiVersion: mops.dev/v1\nkind: SLA\nmetadata:\n  name: zz-sla\nspec:\n  type: campaign-lead-time\n  target: 10bd\n")
	write(t, dir, "campaigns/zz-two.yaml", campaignText(t, dir, path(4))+"---\n"+strings.Replace(campaignText(t, dir, path(6)), "name: "+name(6), "name: zz-second", 1))
	write(t, dir, "campaigns/zz-flow.yaml", `{apiVersion: mops.dev/v1, kind: Campaign, metadata: {name: zz-flow, owner: nobody}, spec: {}}`+"\n")
	return dir
}

func campaignText(t *testing.T, dir, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func write(t *testing.T, dir, file, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
