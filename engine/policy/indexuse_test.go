package policy

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/model"
)

func TestIndexesKind(t *testing.T) {
	cases := []struct {
		rego string
		want bool
	}{
		{`x := object.get(input.index, "Taxonomy", {})`, false},
		{`x := object.get(input.index, "Campaign", {})`, true},
		{`x := input.index.Taxonomy`, false},
		{`x := input.index.Campaign`, true},
		{`x if { some k; input.index[k] }`, true},
		{`x if { some k, v in input.index }`, true},
		{`x := object.get(input.index, y, {}) if { y := "Campaign" }`, true},
		{`x := count(input.index)`, true},
	}
	for _, c := range cases {
		m := ast.MustParseModuleWithOpts("package p\n"+c.rego, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if got := indexesKind(map[string]*ast.Module{"p.rego": m}, model.KindCampaign); got != c.want {
			t.Errorf("%s: indexesKind(Campaign) = %v, want %v", c.rego, got, c.want)
		}
	}
}
