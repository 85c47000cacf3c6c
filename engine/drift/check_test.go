package drift_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/drift"
	"github.com/mops-dev/mops/engine/live/livetest"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

func acme(t *testing.T) *model.Bundle {
	t.Helper()
	b, findings, err := load.Load(os.DirFS("../../examples/acme"), load.Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("load: %v %+v", err, findings)
	}
	return b
}

func day() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }

// TestCheckWordsThePlanFromLive: on the example's seed, the sandbox
// differs in five ways, each naming the plan step that restores it; a
// skipped system carries its reason, and nothing is written to live.
func TestCheckWordsThePlanFromLive(t *testing.T) {
	f := livetest.Acme(t)
	r := drift.Check(context.Background(), acme(t), []drift.Target{
		{Name: "sandbox", Provider: f},
		{Name: "hubspot-prod", Skipped: "environment variable HUBSPOT_TOKEN is not set"},
	}, drift.Options{Now: day(), AllSystems: true})
	if !r.Drift || r.Failed() || len(r.Systems) != 2 {
		t.Fatalf("report = %+v", r)
	}
	var kinds []string
	for _, it := range r.Systems[0].Items {
		kinds = append(kinds, it.Kind)
		if it.PlanStep == 0 {
			t.Errorf("%q names no plan step", it.Message)
		}
	}
	if got, want := strings.Join(kinds, ","), "option-missing,option-label,deprecated-held,deprecated-active,option-undeclared"; got != want {
		t.Errorf("kinds %s, want %s", got, want)
	}
	if s := r.Systems[1]; s.Status != drift.StatusSkipped || s.Reason == "" || len(s.Items) != 0 {
		t.Errorf("skipped system = %+v", s)
	}
	for _, c := range f.Calls() {
		if c.Op != "read" && c.Op != "count" && c.Op != "coverage" {
			t.Errorf("drift called %s", c)
		}
	}
}

// TestCheckFailureDoesNotHideOthers: a system that cannot be read is
// failed with the error, and the other systems are still checked.
func TestCheckFailureDoesNotHideOthers(t *testing.T) {
	broken := livetest.Acme(t)
	broken.FailWith(func(c livetest.Call) error {
		if c.Op == "read" {
			return errors.New("HTTP 401")
		}
		return nil
	})
	r := drift.Check(context.Background(), acme(t), []drift.Target{
		{Name: "sandbox", Provider: broken},
		{Name: "sandbox", Provider: livetest.Acme(t)},
	}, drift.Options{Now: day()})
	if !r.Failed() || r.Systems[0].Status != drift.StatusFailed || !strings.Contains(r.Systems[0].Reason, "HTTP 401") {
		t.Errorf("broken system = %+v", r.Systems[0])
	}
	if s := r.Systems[1]; s.Status != drift.StatusChecked || len(s.Items) != 5 {
		t.Errorf("the readable system = %+v", s)
	}
}

// TestCheckParityWithinOneSystem: the region taxonomy binds contacts and
// companies; a label that differs between them is parity drift, naming
// both bindings, even with one system read.
func TestCheckParityWithinOneSystem(t *testing.T) {
	f := livetest.Acme(t)
	f.Edit(func(st *livetest.State) {
		for _, p := range st.Objects["companies"].Properties {
			if p.Property != "region" {
				continue
			}
			for i := range p.Options {
				if p.Options[i].Value == "emea" {
					p.Options[i].Label = "Europe"
				}
			}
		}
	})
	r := drift.Check(context.Background(), acme(t), []drift.Target{{Name: "sandbox", Provider: f}}, drift.Options{Now: day()})
	var found []string
	for _, p := range r.Parity {
		found = append(found, p.Message)
		if p.Kind == "label" && p.Value == "emea" && p.Bindings["sandbox:companies.region"] == "Europe" && p.Document.Name == "region" && p.Document.Line > 0 {
			return
		}
	}
	t.Errorf("no label parity for emea; parity: %v", found)
}
