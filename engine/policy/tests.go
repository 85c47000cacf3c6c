package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestReport is the outcome of `mops test`: every Rego unit test of the
// built-in and repository policies.
type TestReport struct {
	Results []TestResult `json:"results"`
	Passed  int          `json:"passed"`
	Failed  int          `json:"failed"`
	Skipped int          `json:"skipped"`
}

// OK reports whether no test failed.
func (r TestReport) OK() bool { return r.Failed == 0 }

// TestResult is one test rule's outcome.
type TestResult struct {
	// Package is the test's package without "data.", e.g. mops.campaign_test.
	Package string `json:"package"`
	// Name is the test rule, e.g. test_deprecated_lead_source.
	Name string `json:"name"`
	File string `json:"file"`
	Line int    `json:"line"`
	Pass bool   `json:"pass"`
	Skip bool   `json:"skip,omitempty"`
	// Message says why a test failed: it was false or undefined, or the
	// error it raised.
	Message string `json:"message,omitempty"`
	// Output is what the test printed with print().
	Output   string        `json:"output,omitempty"`
	Duration time.Duration `json:"duration"`
}

// RunTests runs the *_test.rego files of the built-in policies and of the
// repository's policy folders with OPA's test runner, under the same
// restricted capabilities and custom functions as evaluation. opts.Timeout
// bounds each test. A policy file that does not compile is an error naming
// file and line.
func RunTests(ctx context.Context, opts Options) (TestReport, error) {
	caps := capabilities()
	all, err := loadAll(opts, caps, true)
	if err != nil {
		return TestReport{}, err
	}

	c := ast.NewCompiler().
		WithCapabilities(caps).
		WithEnablePrintStatements(true).
		WithDefaultRegoVersion(ast.RegoV1)
	runner := tester.NewRunner().
		SetCompiler(c).
		AddCustomBuiltins(testerBuiltins()).
		SetTimeout(opts.timeout()).
		CapturePrintOutput(true).
		SetModules(all)
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		if errs, ok := err.(ast.Errors); ok {
			return TestReport{}, compileError(errs)
		}
		return TestReport{}, fmt.Errorf("run policy tests: %w", err)
	}

	var rep TestReport
	for r := range ch {
		res := TestResult{
			Package:  strings.TrimPrefix(r.Package, "data."),
			Name:     r.Name,
			Pass:     r.Pass(),
			Skip:     r.Skip,
			Output:   string(r.Output),
			Duration: r.Duration,
		}
		if r.Location != nil {
			res.File, res.Line = r.Location.File, r.Location.Row
		}
		switch {
		case r.Skip:
			rep.Skipped++
		case r.Error != nil:
			res.Message = testError(r.Error, opts.timeout())
			rep.Failed++
		case r.Fail:
			res.Message = "the test was false or undefined"
			rep.Failed++
		default:
			rep.Passed++
		}
		rep.Results = append(rep.Results, res)
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("run policy tests: %w", err)
	}
	slices.SortFunc(rep.Results, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
	return rep, nil
}

func testError(err error, limit time.Duration) string {
	msg := err.Error()
	if topdown.IsCancel(err) || strings.Contains(msg, "eval_cancel_error") || strings.Contains(msg, "context deadline exceeded") {
		return fmt.Sprintf("stopped at the time limit of %s: the test or a policy it calls loops or is too slow", limit)
	}
	return msg
}
