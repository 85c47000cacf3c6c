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
//	SELECT Permissions... FROM UserPermissionAccess     (the user's permissions)
//	SELECT f, COUNT(Id) FROM o [WHERE ...] GROUP BY f   (f not multi-select)
//	SELECT COUNT() FROM o WHERE ...
//	SELECT Id[, f...] FROM o WHERE ...
//
// with conditions f = 'v' | null | true | false, f IN ('v', ...) and
// f INCLUDES ('v', ...), joined by AND. String comparisons ignore case, as
// SOQL's do for every field but unique case-sensitive ones ("Comparison
// Operators", SOQL and SOSL Reference:
// https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-comparisonoperators.html),
// and GROUP BY groups values that differ only in case. An aggregate answer
// is never paged: a query with GROUP BY cannot be continued with
// queryMore, so one that groups more rows than a batch holds is refused
// ("Considerations When Using GROUP BY", "GROUP BY and queryMore()":
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_group_by_considerations.htm).
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
	base := sfapi.Root(r.PathValue("version")) + sfapi.PathQuery
	if q.groupBy != "" {
		s.respondAggregate(w, base, rows)
		return
	}
	s.respondPage(w, base, "", rows, total)
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
		if !q.count || q.countOf != "Id" || len(q.fields) != 1 || q.fields[0] != q.groupBy {
			return nil, 0, malformed("the emulator supports GROUP BY only as SELECT f, COUNT(Id) FROM o [WHERE ...] GROUP BY f")
		}
		recs, err := s.filter(o, q)
		if err != nil {
			return nil, 0, err
		}
		return s.groupCount(o, recs, q.groupBy)
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

// groupCount counts recs per value of a single-select field, values in
// order with null first. Values that differ only in case make one group,
// named as the first record holding it (in Id order) has it.
func (s *Sandbox) groupCount(o *Object, recs []*Record, field string) ([]row, int, *apiErr) {
	if f := o.field(field); f != nil && f.Type == sfapi.FieldMultiPicklist {
		return nil, 0, &apiErr{http.StatusBadRequest, sfapi.CodeInvalidField, fmt.Sprintf("field '%s' can not be grouped in a query call", field)}
	}
	counts := map[string]int{}
	names := map[string]string{}
	for _, rec := range recs {
		v := rec.Fields[field]
		key := strings.ToLower(v)
		if _, ok := names[key]; !ok {
			names[key] = v
		}
		counts[key]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]row, 0, len(keys))
	for _, k := range keys {
		var val any
		if v := names[k]; v != "" {
			val = v
		}
		rows = append(rows, row{"attributes": sfapi.Attributes{Type: "AggregateResult"}, field: val, sfapi.CountAlias: counts[k]})
	}
	return rows, len(rows), nil
}

// filter returns the records matching every WHERE condition, in Id order.
func (s *Sandbox) filter(o *Object, q *query) ([]*Record, *apiErr) {
	for _, c := range q.where {
		if c.field == "Id" && c.op != opIncludes {
			continue
		}
		f := o.field(c.field)
		if f == nil {
			return nil, noColumn(c.field, q.from)
		}
		switch {
		case c.op == opIncludes && f.Type != sfapi.FieldMultiPicklist:
			return nil, &apiErr{http.StatusBadRequest, sfapi.CodeInvalidField, fmt.Sprintf("includes or excludes operator only valid on multipicklist field: %s", c.field)}
		case (f.Type == sfapi.FieldBoolean) != (c.op == opEquals && c.literal == litBool):
			return nil, malformed("value of filter criterion for field '%s' must be of type %s", c.field, literalType(f))
		}
	}
	seesAll := s.state.User.holds("ViewAllData")
	var out []*Record
	for _, rec := range o.Records {
		if (seesAll || !rec.Private) && matchesAll(rec, q.where) {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b *Record) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// literalType names the literal a condition on f compares with.
func literalType(f *Field) string {
	if f.Type == sfapi.FieldBoolean {
		return "boolean and should not be enclosed in quotes"
	}
	return "string"
}

func matchesAll(rec *Record, where []cond) bool {
	for _, c := range where {
		if !matches(rec, c) {
			return false
		}
	}
	return true
}

// matches compares ignoring case, as SOQL does, except for Ids.
func matches(rec *Record, c cond) bool {
	if c.field == "Id" {
		return rec.ID == c.values[0]
	}
	v := rec.Fields[c.field]
	equal := func(want string) bool { return strings.EqualFold(v, want) }
	switch c.op {
	case opIncludes:
		tokens := strings.Split(v, ";")
		return slices.ContainsFunc(c.values, func(want string) bool {
			return slices.ContainsFunc(tokens, func(t string) bool { return strings.EqualFold(t, want) })
		})
	case opIn:
		return v != "" && slices.ContainsFunc(c.values, equal)
	}
	if c.literal == litBool {
		return (v == "true") == (c.values[0] == "true")
	}
	return equal(c.values[0])
}
