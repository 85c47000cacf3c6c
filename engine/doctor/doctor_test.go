package doctor

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
)

// TestVerdicts: a run is OK only when some system was checked and no
// check failed; warnings do not fail it; a failed system counts as a
// problem. The text report ends by saying which.
func TestVerdicts(t *testing.T) {
	ok := SystemReport{Name: "a", Status: Checked, Checks: []live.Check{{Kind: live.CheckLimit, Name: "daily", Status: live.CheckWarn}}}
	missing := SystemReport{Name: "b", Status: Checked, Checks: []live.Check{{Kind: live.CheckScope, Name: "s", Status: live.CheckMissing, Fix: "grant s"}}}
	skipped := SystemReport{Name: "c", Status: Skipped, Reason: "X is not set"}
	failed := SystemReport{Name: "d", Status: Failed, Reason: "connection refused"}
	for _, tc := range []struct {
		systems []SystemReport
		ok      bool
		last    string
	}{
		{[]SystemReport{ok}, true, "Every system is ready."},
		{[]SystemReport{ok, skipped}, true, "Every system checked is ready; 1 skipped."},
		{[]SystemReport{skipped}, false, "No system could be checked"},
		{[]SystemReport{ok, missing}, false, "1 problem(s) to fix"},
		{[]SystemReport{ok, failed}, false, "1 problem(s) to fix"},
	} {
		r := &Report{Systems: tc.systems}
		var b bytes.Buffer
		if err := Write(&b, "text", r); err != nil {
			t.Fatal(err)
		}
		if r.OK() != tc.ok || !strings.Contains(b.String(), tc.last) {
			t.Errorf("%+v: OK %v, text:\n%s", tc.systems, r.OK(), b.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "sarif", &Report{}); err == nil {
		t.Error("unknown format accepted")
	}
}
