package policy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/rego"
)

// utmLinksRego is campaign.utm-links as it was written in Rego before it
// became mops.utm_link_problems; the builtin must find exactly what it found.
const utmLinksRego = `package old

declared := {concat("", ["utm_", k]): v | some k, v in input.spec.utm}

link_params := [{k: vs | some k, vs in mops.url_query(link); startswith(k, "utm_")} | some link in input.spec.links]

deny contains {"message": sprintf("link carries no %s; the campaign declares %s=%v", [k, k, v]), "path": sprintf("spec.links[%d]", [i])} if {
	some i, params in link_params
	some k, v in declared
	not params[k]
}

deny contains {"message": sprintf("link has %s=%s; the campaign declares %s=%v", [k, concat(",", params[k]), k, v]), "path": sprintf("spec.links[%d]", [i])} if {
	some i, params in link_params
	some k, v in declared
	params[k] != [v]
}

deny contains {"message": sprintf("link carries %s, which spec.utm does not declare", [k]), "path": sprintf("spec.links[%d]", [i])} if {
	some i, params in link_params
	some k, _ in params
	not declared[k]
}

new contains {"message": p.message, "path": sprintf("spec.links[%d]", [p.link])} if {
	some p in mops.utm_link_problems(object.get(input.spec, "links", []), object.get(input.spec, "utm", {}))
}
`

// TestUTMLinkProblemsMatchesRego compares the builtin with the Rego it
// replaced over random campaigns: links missing, repeating, adding or
// changing parameters, with fragments, bad escapes and no query at all;
// declared values that are strings, numbers or lists.
func TestUTMLinkProblemsMatchesRego(t *testing.T) {
	ctx := context.Background()
	opts := []func(*rego.Rego){rego.Module("old.rego", utmLinksRego), rego.Query("old := data.old.deny; new := data.old.new")}
	for _, b := range builtins() {
		opts = append(opts, b.opt)
	}
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	var problems int
	for n := range 2000 {
		utm := map[string]any{}
		for _, k := range []string{"source", "medium", "campaign", "term", "content"} {
			switch rng.IntN(6) {
			case 0, 1, 2:
				utm[k] = pick("newsletter", "email", "x y", "a&b", "fy27-q1")
			case 3:
				utm[k] = rng.IntN(3)
			case 4:
				utm[k] = []any{"email"}
			}
		}
		var links []any
		for range rng.IntN(4) {
			link := pick("https://acme.example/p", "https://acme.example/p?x=1", "https://acme.example/?")
			sep := "?"
			if len(link) > 0 && link[len(link)-1] != 'p' {
				sep = "&"
			}
			for range rng.IntN(6) {
				k := "utm_" + pick("source", "medium", "campaign", "term", "content", "id")
				if rng.IntN(8) == 0 {
					k = pick("ref", "UTM_SOURCE", "utm_")
				}
				v := pick("newsletter", "email", "x+y", "x%20y", "a%26b", "fy27-q1", "", "%zz", "1", "0")
				link += sep + k + "=" + v
				sep = "&"
			}
			if rng.IntN(5) == 0 {
				link += "#utm_medium=email"
			}
			links = append(links, link)
		}
		input := map[string]any{"spec": map[string]any{"utm": utm, "links": links}}
		rs, err := pq.Eval(ctx, rego.EvalInput(input))
		if err != nil {
			t.Fatal(err)
		}
		old, new := rs[0].Bindings["old"], rs[0].Bindings["new"]
		if diff := cmp.Diff(old, new); diff != "" {
			t.Fatalf("case %d %v: builtin differs from the Rego rule (-rego +builtin):\n%s", n, input, diff)
		}
		problems += len(old.([]any))
	}
	if problems < 1000 {
		t.Fatalf("only %d problems over the cases: the generator does not exercise the rule", problems)
	}
}

func TestUTMLinkProblemsIgnoresWhatTheSchemaReports(t *testing.T) {
	ctx := context.Background()
	opts := []func(*rego.Rego){rego.Query(`x := mops.utm_link_problems(input.links, input.utm)`)}
	for _, b := range builtins() {
		opts = append(opts, b.opt)
	}
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []map[string]any{
		{"links": "https://a.example/?utm_source=x", "utm": map[string]any{"source": "x"}},
		{"links": []any{"https://a.example/?utm_source=y"}, "utm": []any{"x"}},
		{"links": []any{42, "https://a.example/?utm_source=y"}, "utm": map[string]any{"source": "x"}},
	} {
		rs, err := pq.Eval(ctx, rego.EvalInput(in))
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(rs[0].Bindings["x"])
		want := "[]"
		if _, ok := in["links"].([]any); ok && len(in["links"].([]any)) == 2 {
			// The string link keeps its own index, 1.
			want = "[map[link:1 message:link has utm_source=y; the campaign declares utm_source=x]]"
		}
		if got != want {
			t.Errorf("%v: got %s, want %s", in, got, want)
		}
	}
}
