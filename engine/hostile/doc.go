// Package hostile holds the hostile test suite: repositories and actions
// as a pull request's author could write them, each run through the real
// command line (engine/cli) to check that mops reads nothing outside the
// repository, never hangs, stays within its time and memory bounds, and
// prints nothing that forges output or leaks a secret. The cases are in
// hostile_test.go, by category; go test ./... runs them, and so .ci/run.
// docs/security.md states the guarantees they check.
package hostile
