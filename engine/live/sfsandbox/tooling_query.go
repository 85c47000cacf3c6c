package sfsandbox

import (
	"net/http"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// toolingQuery answers GET /tooling/query?q=SOQL for the Id look-ups the
// client sends: CustomField (by TableEnumOrId and DeveloperName),
// CustomObject and GlobalValueSet (by DeveloperName), StandardValueSet (by
// MasterLabel). Conditions are = on the columns listed by toolingColumns.
func (s *Sandbox) toolingQuery(w http.ResponseWriter, r *http.Request) {
	q, ok := parseRequestQuery(w, r)
	if !ok {
		return
	}
	version := r.PathValue("version")
	cols := toolingColumns(q.from)
	if cols == nil {
		badRequest(w, sfapi.CodeInvalidType, "sObject type '%s' is not supported.", q.from)
		return
	}
	if q.count || q.groupBy != "" || len(q.fields) == 0 {
		malformed("the emulator supports only SELECT columns FROM %s WHERE column = 'value' [AND ...] in Tooling queries", q.from).write(w)
		return
	}
	for _, f := range q.fields {
		if !slices.Contains(cols, f) {
			noColumn(f, q.from).write(w)
			return
		}
	}
	for _, c := range q.where {
		if !slices.Contains(cols, c.field) {
			noColumn(c.field, q.from).write(w)
			return
		}
		if c.op != opEquals || c.literal != litString {
			malformed("the emulator supports only column = 'value' on %s.%s", q.from, c.field).write(w)
			return
		}
	}
	s.mu.Lock()
	all := s.toolingRows(q.from)
	s.mu.Unlock()
	var rows []row
	for _, cand := range all {
		if !toolingMatch(cand, q.where) {
			continue
		}
		rw := row{"attributes": sfapi.Attributes{Type: q.from, URL: sfapi.Root(version) + "/tooling/sobjects/" + q.from + "/" + cand["Id"].(string)}}
		for _, f := range q.fields {
			rw[f] = cand[f]
		}
		rows = append(rows, rw)
	}
	s.respondPage(w, sfapi.Root(version)+sfapi.PathToolingQuery, q.from, rows, len(rows))
}

// toolingColumns lists the queryable columns of a Tooling entity, nil for
// an entity the emulator does not know.
func toolingColumns(entity string) []string {
	switch entity {
	case sfapi.TypeCustomField:
		return []string{"Id", "DeveloperName", "NamespacePrefix", "TableEnumOrId"}
	case sfapi.TypeCustomObject:
		return []string{"Id", "DeveloperName", "NamespacePrefix"}
	case sfapi.TypeGlobalValueSet:
		return []string{"Id", "DeveloperName", "NamespacePrefix", "MasterLabel"}
	case sfapi.TypeStandardValueSet:
		return []string{"Id", "MasterLabel"}
	}
	return nil
}

// toolingRows builds every row of an entity (callers hold s.mu).
func (s *Sandbox) toolingRows(entity string) []row {
	var out []row
	switch entity {
	case sfapi.TypeCustomField:
		for _, name := range sortedObjects(s.state) {
			o := s.state.Objects[name]
			table := name
			if isCustom(name) {
				table = o.ID
			}
			for _, f := range o.Fields {
				if isCustom(f.Name) {
					ns, dev := developerName(f.Name)
					out = append(out, row{"Id": f.ID, "DeveloperName": dev, "NamespacePrefix": ns, "TableEnumOrId": table})
				}
			}
		}
	case sfapi.TypeCustomObject:
		for _, name := range sortedObjects(s.state) {
			if isCustom(name) {
				ns, dev := developerName(name)
				out = append(out, row{"Id": s.state.Objects[name].ID, "DeveloperName": dev, "NamespacePrefix": ns})
			}
		}
	case sfapi.TypeGlobalValueSet:
		for _, g := range s.state.GlobalValueSets {
			ns, dev := developerName(g.FullName)
			out = append(out, row{"Id": g.ID, "DeveloperName": dev, "NamespacePrefix": ns, "MasterLabel": g.MasterLabel})
		}
	case sfapi.TypeStandardValueSet:
		for _, v := range s.state.StandardValueSets {
			out = append(out, row{"Id": v.ID, "MasterLabel": v.FullName})
		}
	}
	return out
}

// developerName splits "acme__Region__c" into namespace acme (nil when
// none) and developer name Region.
func developerName(name string) (namespace any, developer string) {
	base := strings.TrimSuffix(name, "__c")
	if ns, dev, ok := strings.Cut(base, "__"); ok {
		return ns, dev
	}
	return nil, base
}

func toolingMatch(cand row, where []cond) bool {
	for _, c := range where {
		v, _ := cand[c.field].(string)
		if !strings.EqualFold(v, c.values[0]) {
			return false
		}
	}
	return true
}

func sortedObjects(st *State) []string {
	names := make([]string, 0, len(st.Objects))
	for n := range st.Objects {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
