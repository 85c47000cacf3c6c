package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchitectureDocMatchesCode: every package path docs/architecture.md
// names exists, and every pkg.Name it names is declared in that package
// (as a type, function, method, variable or constant).
func TestArchitectureDocMatchesCode(t *testing.T) {
	root := filepath.Join("..", "..")
	data, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	dirs := map[string]string{} // package name -> folder
	for _, p := range regexp.MustCompile("(?:engine|cmd)/[a-z][a-z/-]*[a-z]").FindAllString(doc, -1) {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("docs/architecture.md names %s, which does not exist", p)
			continue
		}
		dirs[filepath.Base(p)] = p
	}
	declared := map[string]map[string]bool{}
	names := func(pkg string) map[string]bool {
		if d, ok := declared[pkg]; ok {
			return d
		}
		d := map[string]bool{}
		files, err := filepath.Glob(filepath.Join(root, dirs[pkg], "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for name := range f.Scope.Objects {
				d[name] = true
			}
			for _, decl := range f.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok {
					d[fn.Name.Name] = true
				}
			}
		}
		declared[pkg] = d
		return d
	}
	refs := regexp.MustCompile(`\b([a-z]+)\.([A-Z][A-Za-z]*)\b`).FindAllStringSubmatch(doc, -1)
	if len(refs) < 10 {
		t.Fatalf("found only %d pkg.Name references; is the pattern still right?", len(refs))
	}
	for _, m := range refs {
		pkg, name := m[1], m[2]
		if pkg == "fs" { // the standard library's io/fs
			continue
		}
		if _, ok := dirs[pkg]; !ok {
			if _, err := os.Stat(filepath.Join(root, "engine", pkg)); err != nil {
				t.Errorf("docs/architecture.md names %s.%s, but there is no package %s", pkg, name, pkg)
				continue
			}
			dirs[pkg] = "engine/" + pkg
		}
		if !names(pkg)[name] {
			t.Errorf("docs/architecture.md names %s.%s, which %s does not declare", pkg, name, dirs[pkg])
		}
	}
}
