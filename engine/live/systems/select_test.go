package systems_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

// repo writes a repository with a HubSpot sandbox (bound), a Salesforce
// sandbox (bound), an unbound sandbox and HubSpot production (bound,
// token in HUBSPOT_TOKEN), and loads it.
func repo(t *testing.T, defaultSystem string, bind ...string) (string, *model.Bundle) {
	t.Helper()
	dir := t.TempDir()
	project := `apiVersion: mops.dev/v1
kind: Project
metadata: {name: t}
spec:
  defaultSystem: ` + defaultSystem + `
  systems:
    - {name: hub, type: sandbox, state: .mops/hub.json}
    - {name: prod, type: hubspot, tokenEnv: HUBSPOT_TOKEN}
    - {name: idle, type: sandbox, state: .mops/idle.json}
    - {name: sf, type: sandbox, flavor: salesforce, state: .mops/sf.json}
`
	var bindings []string
	for _, s := range bind {
		bindings = append(bindings, "    - {system: "+s+", object: contacts, property: region}")
	}
	tax := "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: region}\nspec:\n  values: [{value: emea, label: EMEA}]\n  bindings:\n" + strings.Join(bindings, "\n") + "\n"
	for name, data := range map[string]string{"mops.yaml": project, "region.yaml": tax} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, findings, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("load: %v %+v", err, findings)
	}
	return dir, b
}

func noEnv(string) string { return "" }

func names(sel *systems.Selection) (open, skipped []string) {
	for _, c := range sel.Open {
		open = append(open, c.System.Name)
	}
	for _, s := range sel.Skipped {
		skipped = append(skipped, s.System)
	}
	return open, skipped
}

func selectOK(t *testing.T, dir string, b *model.Bundle, names []string, getenv func(string) string) *systems.Selection {
	t.Helper()
	sel, err := systems.Select(context.Background(), dir, b, names, getenv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sel.Close() })
	return sel
}

// TestSelectDefaultIsEveryReachableBoundSystem: without names, every bound
// system in mops.yaml order; production without its token is skipped and
// the reason names the variable.
func TestSelectDefaultIsEveryReachableBoundSystem(t *testing.T) {
	dir, b := repo(t, "hub", "sf", "prod", "hub")
	sel := selectOK(t, dir, b, nil, noEnv)
	open, skipped := names(sel)
	if strings.Join(open, ",") != "hub,sf" || strings.Join(skipped, ",") != "prod" || strings.Join(sel.Names, ",") != "hub,prod,sf" {
		t.Fatalf("open %v, skipped %v, names %v", open, skipped, sel.Names)
	}
	if got := sel.Skipped[0].Error(); got != "system prod: not reachable from here: environment variable HUBSPOT_TOKEN is not set; it must hold the HubSpot service key or private-app token" {
		t.Errorf("skip reason = %q", got)
	}
	if p := sel.Providers(); len(p) != 2 || p["hub"] == nil || p["sf"] == nil {
		t.Errorf("providers = %v", p)
	}
	if caps := sel.Providers()["sf"].Capabilities(); caps.DeletesOptions {
		t.Error("the salesforce-flavoured sandbox is not reached through the Salesforce client")
	}
}

// TestSelectWithoutBindingsUsesDefault: nothing bound means the default
// system (consent policies still name its subscription types).
func TestSelectWithoutBindingsUsesDefault(t *testing.T) {
	dir, b := repo(t, "idle")
	open, _ := names(selectOK(t, dir, b, nil, noEnv))
	if strings.Join(open, ",") != "idle" {
		t.Errorf("open %v, want the default system", open)
	}
}

// TestSelectNamedSystems: names narrow the selection, "" is the default
// system, repeats open once, and a named system that cannot be reached is
// an error, not a skip.
func TestSelectNamedSystems(t *testing.T) {
	dir, b := repo(t, "hub", "hub", "sf", "prod")
	open, _ := names(selectOK(t, dir, b, []string{"idle", "", "idle"}, noEnv))
	if strings.Join(open, ",") != "idle,hub" {
		t.Errorf("open %v", open)
	}
	_, err := systems.Select(context.Background(), dir, b, []string{"hub", "prod"}, noEnv)
	var ue *systems.UnreachableError
	if !errors.As(err, &ue) || ue.System != "prod" || !strings.Contains(err.Error(), "HUBSPOT_TOKEN is not set") {
		t.Errorf("err = %v, want prod unreachable", err)
	}
	if _, err := systems.Select(context.Background(), dir, b, []string{"nope"}, noEnv); err == nil || err.Error() != `no system "nope" in mops.yaml; systems: hub, prod, idle, sf` {
		t.Errorf("err = %v", err)
	}
}

// TestSelectNothingReachable: when every selected system is skipped there
// is nothing to work on, and the error says why.
func TestSelectNothingReachable(t *testing.T) {
	dir, b := repo(t, "hub", "prod")
	_, err := systems.Select(context.Background(), dir, b, nil, noEnv)
	if err == nil || !strings.Contains(err.Error(), "no system can be reached: system prod: not reachable from here: environment variable HUBSPOT_TOKEN is not set") {
		t.Errorf("err = %v", err)
	}
	sel := selectOK(t, dir, b, nil, func(k string) string { return map[string]string{"HUBSPOT_TOKEN": "pat-x"}[k] })
	if open, skipped := names(sel); strings.Join(open, ",") != "prod" || len(skipped) != 0 {
		t.Errorf("with the token: open %v skipped %v", open, skipped)
	}
}
