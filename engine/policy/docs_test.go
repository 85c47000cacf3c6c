package policy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated sections of docs/policies.md")

// TestPolicyDocsUpToDate keeps the rule and function tables of
// docs/policies.md in step with the policies: they are generated from the
// METADATA annotations (Rules) and the function declarations
// (BuiltinDocs). Run with -update to regenerate them.
func TestPolicyDocsUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "policies.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	doc = replaceSection(t, doc, "BUILTINS", builtinsTable())
	doc = replaceSection(t, doc, "RULES", rulesTable())
	if doc == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/policies.md is out of date with the policies; run go test ./engine/policy -run Docs -update")
}

func replaceSection(t *testing.T, doc, name, body string) string {
	t.Helper()
	begin := "<!-- BEGIN " + name
	end := "<!-- END " + name + " -->"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/policies.md has no %s section", name)
	}
	i += strings.Index(doc[i:], "\n") + 1
	return doc[:i] + body + doc[j:]
}

func builtinsTable() string {
	var b strings.Builder
	b.WriteString("| function | what it does |\n| --- | --- |\n")
	for _, f := range BuiltinDocs() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", f.Signature, escapeCell(f.Description))
	}
	return b.String()
}

func rulesTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | checked by | description |\n| --- | --- | --- | --- |\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, r.Package, escapeCell(r.Description))
	}
	return b.String()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
