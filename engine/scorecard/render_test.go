package scorecard

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func render(t *testing.T, format string, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFormats renders the constructed history's scorecard in every format
// and checks what a reader relies on in each.
func TestFormats(t *testing.T) {
	r := compute(t, constructed(t), true)

	text := render(t, "text", r)
	for _, want := range []string{
		"2026-03-09  6d            9d         100% (2/2)  50% (1/2)        50% (1/2)               50% (1/2)               1",
		"SLA mql-follow-up (stage-response, 24h) not measured",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	md := render(t, "markdown", r)
	for _, want := range []string{
		"| week | cycle median | cycle p90 | on-time | first-time pass | SLA campaign-lead-time | SLA request-turnaround | changes |",
		"| 2026-03-16 | 15d | 15d | 0% (0/1) | 0% (0/1) | 100% (1/1) | – | 0 |",
		// The last week's misses, for the weekly issue.
		"- on-time: `beta` (`campaigns/beta.yaml`): launched 2026-03-18; first committed launch date 2026-03-12",
		"- first-time pass: `epsilon` (`campaigns/epsilon.yaml`): first version had 1 deny finding(s): campaign.taxonomy",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	var decoded map[string]any
	if err := json.Unmarshal([]byte(render(t, "json", r)), &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded["formatVersion"] != float64(FormatVersion) {
		t.Errorf("json formatVersion %v", decoded["formatVersion"])
	}

	html := render(t, "html", r)
	// One self-contained page: charts as inline SVG, no script, nothing
	// fetched from elsewhere.
	if n := strings.Count(html, "<svg"); n != 6 {
		t.Errorf("%d charts; want 6 (cycle time, on-time, first-time pass, two SLAs, changes)", n)
	}
	for _, bad := range []string{"<script", "src=", "@import", "url(", "ZgotmplZ"} {
		if strings.Contains(html, bad) {
			t.Errorf("html holds %q", bad)
		}
	}
	if regexp.MustCompile(`href="[^#]`).MatchString(html) {
		t.Error("html links elsewhere")
	}
	// Week B's cycle-time points: median 6 and p90 9 on a 0..10 axis.
	if !strings.Contains(html, "<title>2026-03-09 median: 6d</title>") || !strings.Contains(html, "<title>2026-03-09 p90: 9d</title>") {
		t.Error("html lacks week B's cycle time points")
	}
	if err := Write(&bytes.Buffer{}, "yaml", r); err == nil {
		t.Error("an unknown format rendered")
	}
}

// TestHostileNames: names and paths come from the repository, which a pull
// request author controls. They must not break out of a Markdown table or
// code span, or into HTML.
func TestHostileNames(t *testing.T) {
	met := false
	evil := "x` | <img src=x onerror=alert(1)> [link](http://evil.example)\n# heading"
	r := &Report{FormatVersion: FormatVersion, Weeks: []Week{{Start: "2026-03-02",
		OnTime: Share{Total: 1, Campaigns: []Campaign{{Name: evil, File: evil + ".yaml", Met: &met, Detail: evil}}}}},
		SLAs:  []SLA{{Name: evil, Type: "stage-response", Target: "24h", Why: "not measured"}},
		Notes: []string{evil}}
	r.Weeks[0].OnTime.finish()
	md := render(t, "markdown", r)
	// Inside a code span nothing is markup; outside, nothing may be.
	// A backslash-escaped character is plain text too.
	escaped := regexp.MustCompile("\\\\[\\\\`*_\\[\\]<>|#!~]")
	spans := regexp.MustCompile("`[^`\n]*`")
	for _, line := range strings.Split(md, "\n") {
		plain := escaped.ReplaceAllString(line, "")
		if strings.Count(plain, "`")%2 != 0 {
			t.Errorf("unbalanced code span: %q", line)
		}
		plain = spans.ReplaceAllString(plain, "")
		if strings.HasPrefix(plain, "# heading") || strings.Contains(plain, "<img") || strings.Contains(plain, "](http") {
			t.Errorf("markdown line carries markup through: %q", line)
		}
	}
	html := render(t, "html", r)
	if strings.Contains(html, "<img") {
		t.Error("html carries the name's tag through")
	}
}
