package render

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/source"
)

// Independent of the writer's types, so the test reads the XML as a CI
// system would.
type parsedSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			ClassName string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, r *source.Report, opts Options) parsedSuites {
	t.Helper()
	out := render(t, JUnit, r, opts)
	var p parsedSuites
	if err := xml.Unmarshal(out, &p); err != nil {
		t.Fatalf("junit is not well-formed: %v\n%s", err, out)
	}
	return p
}

func TestJUnitFixture(t *testing.T) {
	p := parseJUnit(t, fixtureReport(), fixtureOptions())
	if p.Tests != 4 || p.Failures != 2 || p.Skipped != 1 {
		t.Errorf("tests=%d failures=%d skipped=%d; want 4, 2, 1", p.Tests, p.Failures, p.Skipped)
	}
	type tc struct{ Suite, Name, Class, Outcome, Detail string }
	var got []tc
	for _, s := range p.Suites {
		sum := 0
		for _, c := range s.Cases {
			o := tc{Suite: s.Name, Name: c.Name, Class: c.ClassName, Outcome: "pass", Detail: c.SystemOut}
			switch {
			case c.Failure != nil:
				o.Outcome, o.Detail = "fail "+c.Failure.Type, c.Failure.Message
			case c.Skipped != nil:
				o.Outcome, o.Detail = "skip", c.Skipped.Message
			}
			got = append(got, o)
			sum++
		}
		if s.Tests != sum {
			t.Errorf("suite %s says tests=%d, has %d", s.Name, s.Tests, sum)
		}
	}
	const q1, q2 = "examples/acme/campaigns/fy27-q1.yaml", "examples/acme/campaigns/fy27-q2.yaml"
	want := []tc{
		{q1, "campaign.naming Campaign/FY27 Q1|EMEA", q1 + ":4:9", "fail campaign.naming", fixtureReport().Findings[0].Message},
		{q1, "campaign.owner Campaign/FY27 Q1|EMEA", q1 + ":6:10", "pass",
			"warn: " + q1 + ":6:10: owner '@acme/demand-gen' is responsible, not accountable, for campaigns\n(at spec.owner)"},
		{q2, "taxonomy.deprecated Campaign/fy27-q2-na-trade-show", q2 + ":7:15", "skip",
			"waived: the NA trade-show series ends in Q2; approved by @acme/mops-leads"},
		{"examples/acme/taxonomies/lead source.yaml", "load", "examples/acme/taxonomies/lead source.yaml", "fail load", "read file: permission denied"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("test cases (-want +got):\n%s", diff)
	}
}

func TestJUnitClean(t *testing.T) {
	p := parseJUnit(t, &source.Report{Summary: source.Summary{Files: 3}}, Options{})
	if p.Tests != 1 || p.Failures != 0 || len(p.Suites) != 1 || len(p.Suites[0].Cases) != 1 {
		t.Fatalf("clean report: %+v; want one suite with one passing test case", p)
	}
	if c := p.Suites[0].Cases[0]; c.Name != "mops validate" || c.Failure != nil || c.Skipped != nil {
		t.Errorf("clean test case %+v; want a passing \"mops validate\"", c)
	}
}

func TestJUnitHostileText(t *testing.T) {
	r := &source.Report{Findings: []source.Finding{{
		Rule: "r", Severity: source.Deny, File: "a.yaml", Line: 1, Column: 1,
		Message: "]]></failure><x> & \x1b[31m \x00 \"quoted\"",
	}}}
	p := parseJUnit(t, r, Options{})
	if p.Failures != 1 || p.Suites[0].Cases[0].Failure == nil {
		t.Fatalf("hostile message changed the structure: %+v", p)
	}
}
