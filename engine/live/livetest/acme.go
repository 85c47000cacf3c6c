package livetest

import (
	_ "embed"
	"encoding/json"
	"testing"
)

//go:embed testdata/acme.json
var acmeJSON []byte

// Acme returns a fake holding what the example repository's sandbox
// system holds (examples/acme/live/sandbox-seed.json) as the HubSpot
// client reads it: its properties, the values its records hold in the
// enumeration properties, and its subscription types. A test in this
// package keeps the two equal.
func Acme(t testing.TB) *Provider {
	t.Helper()
	st, err := Load(acmeJSON)
	if err != nil {
		t.Fatal(err)
	}
	return New(st)
}

// Load reads a State from its JSON form.
func Load(data []byte) (*State, error) {
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	return &st, nil
}
