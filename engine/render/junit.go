package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/source"
)

// junitCleanName names the suite and test case of a report without
// findings, so that CI shows one passing test rather than none.
const junitCleanName = "mops validate"

// junitTestSuites is the <testsuites> root element.
type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

// junitTestSuite groups the test cases of one file.
type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

// junitTestCase is one finding: failed (deny), skipped (waived) or passed
// with output (warn).
type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitFailure marks a failed test case.
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitSkipped marks a skipped test case.
type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// WriteJUnit writes the report as JUnit XML for CI test views: one
// <testsuite> per file (named by its path, opts.PathPrefix applied) and
// one <testcase> per finding, named "RULE kind/name" with classname
// "file:line:col". A deny is a <failure> (message, type = rule), a waived
// finding is <skipped> with the waiver reason, and a warn is a passing test
// case whose <system-out> carries the message. The <testsuites> root counts
// tests, failures and skipped. A report without findings has a single
// passing test case "mops validate".
func WriteJUnit(w io.Writer, r *source.Report, opts Options) error {
	root := junitReport(r, opts)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// junitReport builds the document; findings arrive sorted by file, so each
// file's findings are adjacent.
func junitReport(r *source.Report, opts Options) junitTestSuites {
	root := junitTestSuites{Name: junitCleanName}
	if len(r.Findings) == 0 {
		root.Suites = []junitTestSuite{{Name: junitCleanName, Cases: []junitTestCase{{Name: junitCleanName, ClassName: junitCleanName}}}}
	}
	for i, f := range r.Findings {
		if i == 0 || f.File != r.Findings[i-1].File {
			root.Suites = append(root.Suites, junitTestSuite{Name: terminalSafe(displayFile(repoPath(opts.PathPrefix, f.File)))})
		}
		suite := &root.Suites[len(root.Suites)-1]
		suite.Cases = append(suite.Cases, junitCase(f, opts.PathPrefix))
	}
	for i := range root.Suites {
		s := &root.Suites[i]
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		root.Tests += s.Tests
		root.Failures += s.Failures
		root.Skipped += s.Skipped
	}
	return root
}

// junitCase converts one finding. Its text is escaped as in every human
// format: CI test views show it to people.
func junitCase(f source.Finding, prefix string) junitTestCase {
	f.Message, f.WaiverReason = source.Display(f.Message), source.Display(f.WaiverReason)
	f.Rule, f.Kind, f.Name, f.Path = terminalSafe(f.Rule), terminalSafe(f.Kind), terminalSafe(f.Name), terminalSafe(f.Path)
	file := terminalSafe(repoPath(prefix, f.File))
	where := displayFile(file)
	if f.Line > 0 {
		where += fmt.Sprintf(":%d", f.Line)
		if f.Column > 0 {
			where += fmt.Sprintf(":%d", f.Column)
		}
	}
	name := f.Rule
	if doc := docLabel(f); doc != "" {
		name += " " + doc
	}
	c := junitTestCase{Name: name, ClassName: where, File: file}
	detail := where + ": " + f.Message
	if f.Path != "" {
		detail += "\n(at " + f.Path + ")"
	}
	switch {
	case f.Waived:
		reason := "waived"
		if f.WaiverReason != "" {
			reason += ": " + f.WaiverReason
		}
		c.Skipped = &junitSkipped{Message: reason}
		c.SystemOut = string(f.Severity) + ": " + detail
	case f.Severity == source.Warn:
		c.SystemOut = "warn: " + detail
	default:
		c.Failure = &junitFailure{Message: f.Message, Type: f.Rule, Text: detail}
	}
	return c
}

// docLabel names the document a finding is about, as "kind/name", or
// whichever half is known; empty when neither is.
func docLabel(f source.Finding) string {
	switch {
	case f.Kind != "" && f.Name != "":
		return f.Kind + "/" + f.Name
	case f.Kind != "":
		return f.Kind
	}
	return f.Name
}
