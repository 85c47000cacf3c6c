// Package policies holds the built-in Rego policies of mops: one package per
// kind of governance document under data.mops, each deny or warn rule with a
// METADATA block naming its stable rule id, and a *_test.rego file beside
// every policy. The engine (engine/policy) embeds them from here.
package policies

import "embed"

// FS holds the built-in policies and their tests.
//
//go:embed *.rego
var FS embed.FS
