package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/policies"
)

// builtinPrefix names the built-in policies' files in messages, so they are
// never mistaken for a repository's own policies/ folder.
const builtinPrefix = "builtin/"

// regoModules holds parsed policy files by file name.
type regoModules map[string]*ast.Module

// isTest reports whether a policy file holds unit tests, which run under
// `mops test` and are never evaluated against documents.
func isTest(name string) bool { return strings.HasSuffix(name, "_test.rego") }

// parserOptions are the same for every policy: Rego v1, with METADATA
// annotations read.
func parserOptions(caps *ast.Capabilities) ast.ParserOptions {
	return ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true, Capabilities: caps}
}

// loadBuiltins parses the embedded built-in policies.
func loadBuiltins(caps *ast.Capabilities, tests bool) (regoModules, error) {
	mods := regoModules{}
	err := loadDir(mods, policies.FS, ".", builtinPrefix, caps, tests)
	if err != nil {
		return nil, fmt.Errorf("built-in policies: %w", err)
	}
	return mods, nil
}

// loadRepo parses the .rego files under each of dirs in fsys (a
// repository), naming them by their path in the repository.
func loadRepo(mods regoModules, fsys fs.FS, dirs []string, caps *ast.Capabilities, tests bool) error {
	if fsys == nil {
		if len(dirs) > 0 {
			return errors.New("repository policy folders given without a repository file system")
		}
		return nil
	}
	for i, dir := range dirs {
		clean := path.Clean(strings.TrimPrefix(dir, "./"))
		if !fs.ValidPath(clean) {
			return &FolderError{Index: i, Dir: dir, Err: repofs.ErrOutsidePath}
		}
		info, err := fs.Stat(fsys, clean)
		if err != nil {
			return &FolderError{Index: i, Dir: dir, Err: err}
		}
		if !info.IsDir() {
			return &FolderError{Index: i, Dir: dir, Err: errors.New("not a folder")}
		}
		dir = clean
		if err := loadDir(mods, fsys, dir, "", caps, tests); err != nil {
			return err
		}
	}
	return nil
}

// FolderError is a policy folder (mops.yaml spec.policies) that cannot be
// read: outside the repository, missing, or not a folder.
type FolderError struct {
	// Index is the folder's place in spec.policies.
	Index int
	Dir   string
	Err   error
}

func (e *FolderError) Error() string {
	msg := e.Err.Error()
	if m, ok := repofs.Problem(e.Err); ok {
		msg = m
	}
	return fmt.Sprintf("policy folder %s (mops.yaml spec.policies): %s", source.Quote(e.Dir), msg)
}

func (e *FolderError) Unwrap() error { return e.Err }

func loadDir(mods regoModules, fsys fs.FS, dir, prefix string, caps *ast.Capabilities, tests bool) error {
	var errs ast.Errors
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!tests && isTest(p)) {
			return nil
		}
		name := prefix + p
		if _, dup := mods[name]; dup {
			return nil // the same folder listed twice
		}
		src, err := repofs.ReadFile(fsys, p, repofs.MaxFileSize)
		if msg, ok := repofs.Problem(err); ok {
			errs = append(errs, ast.NewError(ast.CompileErr, &ast.Location{File: name}, "%s", msg))
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), parserOptions(caps))
		if err != nil {
			var perrs ast.Errors
			if errors.As(err, &perrs) {
				errs = append(errs, perrs...)
				return nil
			}
			return fmt.Errorf("parse %s: %w", name, err)
		}
		mods[name] = m
		return nil
	})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return compileError(errs)
	}
	return nil
}

// reservedCheck refuses repository rules that would land inside a built-in
// policy package: they could otherwise redefine the helpers the built-in
// rules rely on and silence them.
func reservedCheck(builtin, repo regoModules) error {
	var reserved []ast.Ref
	seen := map[string]bool{}
	for _, m := range builtin {
		if k := m.Package.Path.String(); !seen[k] && !isTest(m.Package.Location.File) {
			seen[k] = true
			reserved = append(reserved, m.Package.Path)
		}
	}
	var errs ast.Errors
	for _, name := range sortedKeys(repo) {
		m := repo[name]
		for _, r := range reserved {
			if m.Package.Path.HasPrefix(r) {
				errs = append(errs, ast.NewError(ast.CompileErr, m.Package.Location,
					"package %s belongs to the built-in policies; use a package of your own, such as mops.<organisation>",
					strings.TrimPrefix(m.Package.Path.String(), "data.")))
				break
			}
		}
		for _, rule := range m.Rules {
			p := rule.Ref().GroundPrefix()
			for _, r := range reserved {
				if p.HasPrefix(r) && !m.Package.Path.HasPrefix(r) {
					errs = append(errs, ast.NewError(ast.CompileErr, rule.Location,
						"rule %s would extend the built-in package %s; use a package of your own",
						strings.TrimPrefix(p.String(), "data."), strings.TrimPrefix(r.String(), "data.")))
					break
				}
			}
		}
	}
	if len(errs) > 0 {
		return compileError(errs)
	}
	return nil
}

// loadAll parses the built-in policies and the repository's (tests
// included when tests is set), refuses repository rules inside built-in
// packages, and returns them together.
func loadAll(opts Options, caps *ast.Capabilities, tests bool) (regoModules, error) {
	all, err := loadBuiltins(caps, tests)
	if err != nil {
		return nil, err
	}
	repo := regoModules{}
	if err := loadRepo(repo, opts.RepoPolicies, opts.RepoPolicyDirs, caps, tests); err != nil {
		return nil, err
	}
	if err := reservedCheck(all, repo); err != nil {
		return nil, err
	}
	if err := builtinRuleIDs(all, repo); err != nil {
		return nil, err
	}
	maps.Copy(all, repo)
	return all, nil
}

// compile compiles modules with the restricted capabilities.
func compile(mods regoModules, caps *ast.Capabilities, printing bool) (*ast.Compiler, error) {
	c := ast.NewCompiler().
		WithCapabilities(caps).
		WithEnablePrintStatements(printing).
		WithDefaultRegoVersion(ast.RegoV1)
	c.Compile(mods)
	if c.Failed() {
		return nil, compileError(c.Errors)
	}
	return c, nil
}

// CompileError reports problems in policy files, each as file:line: message.
type CompileError struct {
	Errors ast.Errors
}

func compileError(errs ast.Errors) *CompileError {
	for _, e := range errs {
		explainWithheld(e)
	}
	errs.Sort()
	return &CompileError{Errors: errs}
}

func (e *CompileError) Error() string {
	lines := make([]string, 0, len(e.Errors))
	for _, err := range e.Errors {
		msg := err.Message
		if err.Location != nil {
			msg = fmt.Sprintf("%s:%d: %s", err.Location.File, err.Location.Row, msg)
		}
		lines = append(lines, msg)
	}
	return strings.Join(lines, "\n")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
