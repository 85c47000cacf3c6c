package sfsandbox

import (
	"path/filepath"
	"testing"
)

// FuzzSOQL: whatever query text reaches GET /query (mops sandbox serve
// answers any local client), the parser and the executor answer a query
// or an error, never a panic, and a parsed query names its object.
func FuzzSOQL(f *testing.F) {
	for _, q := range []string{
		"SELECT LeadSource, COUNT(Id) FROM Lead WHERE LeadSource IN ('Web', 'web') AND IsConverted = false GROUP BY LeadSource",
		"SELECT COUNT() FROM Lead WHERE Interests__c INCLUDES ('crm', 'analytics')",
		`SELECT Id FROM Lead WHERE Region__c = 'it\'s'`,
		"SELECT Id, Interests__c FROM Lead WHERE Region__c = null",
		"SELECT PermissionsViewAllData, PermissionsViewEditConvertedLeads FROM UserPermissionAccess",
		"SELECT Id FROM Lead WHERE LeadSource IN ()",
		"select count(Id) from Lead group by",
	} {
		f.Add(q)
	}
	sb, err := Open(filepath.Join(f.TempDir(), "state.json"), "testdata/seed.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := parseSOQL(text)
		if err != nil {
			return
		}
		if q.from == "" {
			t.Fatalf("%q parsed without an object: %+v", text, q)
		}
		sb.mu.Lock()
		defer sb.mu.Unlock()
		_, _, _ = sb.runData(q, "v62.0")
	})
}
