// Package policy evaluates the Rego policies of mops (OPA v1, Rego v1): the
// built-in ones embedded from policies/ and those of the repository's policy
// folders (mops.yaml spec.policies).
//
// New compiles every policy once and prepares one query per entrypoint;
// Engine.Evaluate then runs them against every document of a bundle, in
// parallel, and turns the deny and warn rules' results into findings at the
// document's file, line and column. Each document sees itself, its file, an
// index of every document by kind and name, the Project, today's date and,
// for change-aware rules, its version at a base revision (see input.go and
// docs/policies.md). A document's metadata.waivers silence a rule until a
// date no further than MaxWaiverDays after the waiver was granted.
//
// Repository policies are untrusted: a pull request may carry a hostile
// .rego file. They compile with OPA capabilities that withhold every
// built-in able to reach the network, the environment or files, or to make a
// run depend on anything but its input; mops adds its own built-ins for
// what Rego does poorly (naming templates, UTM links, business days).
//
// The same restricted compiler serves the approval policies that apply
// asks (Approver) and the policies' own unit tests (RunTests, `mops test`).
package policy
