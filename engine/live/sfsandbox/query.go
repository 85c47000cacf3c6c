package sfsandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// apiErr is an error answer a query or write produces.
type apiErr struct {
	status    int
	code, msg string
}

func malformed(format string, args ...any) *apiErr {
	return &apiErr{http.StatusBadRequest, sfapi.CodeMalformedQuery, fmt.Sprintf(format, args...)}
}

func (e *apiErr) write(w http.ResponseWriter) { writeError(w, e.status, e.code, e.msg) }

// row is one record of a query answer.
type row = map[string]any

// dataQuery answers GET /query?q=SOQL. It understands exactly the shapes
// the salesforce client sends:
//
//	SELECT Permissions... FROM UserPermissionAccess  (the user's permissions)
//	SELECT f, COUNT(Id) FROM o GROUP BY f            (f not multi-select)
//	SELECT COUNT() FROM o WHERE f INCLUDES ('v')     (any conditions)
//	SELECT Id[, f...] FROM o WHERE f = 'v' | f INCLUDES ('v')
func (s *Sandbox) dataQuery(w http.ResponseWriter, r *http.Request) {
	q, ok := parseRequestQuery(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	rows, total, err := s.runData(q, r.PathValue("version"))
	s.mu.Unlock()
	if err != nil {
		err.write(w)
		return
	}
	s.respondPage(w, sfapi.Root(r.PathValue("version"))+sfapi.PathQuery, "", rows, total)
}

func parseRequestQuery(w http.ResponseWriter, r *http.Request) (*query, bool) {
	soql := r.URL.Query().Get("q")
	if strings.TrimSpace(soql) == "" {
		writeError(w, http.StatusBadRequest, sfapi.CodeMalformedQuery, "A query string has to be specified")
		return nil, false
	}
	q, err := parseSOQL(soql)
	if err != nil {
		writeError(w, http.StatusBadRequest, sfapi.CodeMalformedQuery, err.Error())
		return nil, false
	}
	return q, true
}

func (s *Sandbox) runData(q *query, version string) ([]row, int, *apiErr) {
	if q.from == objectUserPermissions {
		return s.userPermissions(q)
	}
	o := s.state.Objects[q.from]
	if o == nil {
		return nil, 0, &apiErr{http.StatusBadRequest, sfapi.CodeInvalidType, fmt.Sprintf("sObject type '%s' is not supported.", q.from)}
	}
	for _, name := range append(slices.Clone(q.fields), q.groupBy, q.countOf) {
		if name != "" && name != "Id" && o.field(name) == nil {
			return nil, 0, noColumn(name, q.from)
		}
	}
	switch {
	case q.groupBy != "":
		if !q.count || q.countOf != "Id" || len(q.fields) != 1 || q.fields[0] != q.groupBy || len(q.where) > 0 {
			return nil, 0, malformed("the emulator supports GROUP BY only as SELECT f, COUNT(Id) FROM o GROUP BY f")
		}
		return s.groupCount(o, q.groupBy)
	case q.count:
		if q.countOf != "" || len(q.fields) > 0 {
			return nil, 0, malformed("the emulator supports COUNT(x) only with GROUP BY")
		}
		recs, err := s.filter(o, q)
		return nil, len(recs), err
	}
	recs, err := s.filter(o, q)
	if err != nil {
		return nil, 0, err
	}
	rows := make([]row, 0, len(recs))
	for _, rec := range recs {
		rw := row{"attributes": sfapi.Attributes{Type: q.from, URL: sfapi.Root(version) + "/sobjects/" + q.from + "/" + rec.ID}}
		for _, f := range q.fields {
			rw[f] = nullable(rec, f)
		}
		rows = append(rows, rw)
	}
	return rows, len(rows), nil
}

func noColumn(field, object string) *apiErr {
	return &apiErr{http.StatusBadRequest, sfapi.CodeInvalidField, fmt.Sprintf("No such column '%s' on entity '%s'.", field, object)}
}

// nullable is a record's value as JSON: null when empty.
func nullable(rec *Record, field string) any {
	if field == "Id" {
		return rec.ID
	}
	if v := rec.Fields[field]; v != "" {
		return v
	}
	return nil
}

// groupCount counts records per value of a single-select field, values in
// order with null first.
func (s *Sandbox) groupCount(o *Object, field string) ([]row, int, *apiErr) {
	if f := o.field(field); f != nil && f.Type == sfapi.FieldMultiPicklist {
		return nil, 0, &apiErr{http.StatusBadRequest, sfapi.CodeInvalidField, fmt.Sprintf("field '%s' can not be grouped in a query call", field)}
	}
	counts := map[string]int{}
	for _, rec := range o.Records {
		counts[rec.Fields[field]]++
	}
	values := make([]string, 0, len(counts))
	for v := range counts {
		values = append(values, v)
	}
	slices.Sort(values)
	rows := make([]row, 0, len(values))
	for _, v := range values {
		var val any
		if v != "" {
			val = v
		}
		rows = append(rows, row{"attributes": sfapi.Attributes{Type: "AggregateResult"}, field: val, sfapi.CountAlias: counts[v]})
	}
	return rows, len(rows), nil
}

// filter returns the records matching every WHERE condition, in Id order.
func (s *Sandbox) filter(o *Object, q *query) ([]*Record, *apiErr) {
	for _, c := range q.where {
		if c.field == "Id" && !c.includes {
			continue
		}
		f := o.field(c.field)
		if f == nil {
			return nil, noColumn(c.field, q.from)
		}
		if c.includes && f.Type != sfapi.FieldMultiPicklist {
			return nil, &apiErr{http.StatusBadRequest, sfapi.CodeInvalidField, fmt.Sprintf("includes or excludes operator only valid on multipicklist field: %s", c.field)}
		}
	}
	var out []*Record
	for _, rec := range o.Records {
		if matchesAll(rec, q.where) {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b *Record) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func matchesAll(rec *Record, where []cond) bool {
	for _, c := range where {
		v := rec.Fields[c.field]
		if c.field == "Id" {
			v = rec.ID
		}
		if c.includes {
			tokens := strings.Split(v, ";")
			if !slices.ContainsFunc(c.values, func(want string) bool { return slices.Contains(tokens, want) }) {
				return false
			}
			continue
		}
		if v != c.values[0] {
			return false
		}
	}
	return true
}
