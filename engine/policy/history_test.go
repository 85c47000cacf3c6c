package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/model"
)

// TestHistoryAwareCampaigns is the case: lead-source deprecates
// webinar in favour of event while a campaign that ended weeks ago still
// says webinar. Its finding depends on what the run knows of the change:
// the pull request edits the file (deny at the marked line), leaves it
// alone (nothing), or there is no base revision (a warning at that line).
func TestHistoryAwareCampaigns(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "history", "campaign.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fx := parseFixture(string(data), "")
	taxonomies, err := os.ReadFile(filepath.Join("testdata", "base", "taxonomies.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const active = "{value: webinar, label: Webinar}\n    - {value: trade_show"
	if !strings.Contains(string(taxonomies), active) {
		t.Fatal("testdata/base/taxonomies.yaml changed: lead-source no longer lists webinar before trade_show")
	}
	deprecated := strings.Replace(string(taxonomies), active, "{value: webinar, label: Webinar, deprecated: true, replacedBy: event}\n    - {value: trade_show", 1)
	dir := repoWith(t, map[string]string{fx.dest: fx.content, "taxonomies.yaml": deprecated})
	// spring is the base repository's running campaign, refused in every
	// run; history the marked line of the campaign that ended.
	var spring, history []string
	for _, w := range fx.want {
		if strings.HasPrefix(w, fx.dest+":") {
			history = append(history, w)
		} else {
			spring = append(spring, w)
		}
	}
	if len(history) != 1 || len(spring) != 1 {
		t.Fatalf("the fixture marks %q; want one campaign.taxonomy finding in each campaign", fx.want)
	}
	asWarn := strings.Replace(history[0], "campaign.taxonomy", "campaign.history-value", 1)
	for _, tc := range []struct {
		name    string
		changed func(*model.Document) bool
		want    []string
	}{
		{"pull request edits the file", func(d *model.Document) bool { return d.File == fx.dest }, []string{history[0], spring[0]}},
		{"pull request leaves it alone", func(d *model.Document) bool { return d.File == "taxonomies.yaml" }, spring},
		{"no base revision", nil, []string{asWarn, spring[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range evaluate(t, dir, Options{Changed: tc.changed}) {
				got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings differ\n got: %q\nwant: %q", got, tc.want)
			}
		})
	}
}
