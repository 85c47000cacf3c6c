package sfsandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// maxCursors bounds the open query cursors; the oldest go first.
const maxCursors = 100

// cursor holds the rest of a query's answer for nextRecordsUrl.
type cursor struct {
	base   string // the query path the cursor belongs to
	entity string // Tooling entity, "" for data queries
	rows   []row
	total  int
}

type cursorStore struct {
	next  int
	byID  map[string]*cursor
	order []string
}

func newCursorStore() *cursorStore { return &cursorStore{byID: map[string]*cursor{}} }

func (c *cursorStore) add(cur *cursor) string {
	c.next++
	id := fmt.Sprintf("01g%012dAAA", c.next)
	c.byID[id] = cur
	c.order = append(c.order, id)
	if len(c.order) > maxCursors {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	return id
}

// respondPage answers a query with its first page, keeping the rest for
// nextRecordsUrl (base/{locator}-{offset}).
func (s *Sandbox) respondPage(w http.ResponseWriter, base, entity string, rows []row, total int) {
	if rows == nil {
		rows = []row{}
	}
	cur := &cursor{base: base, entity: entity, rows: rows, total: total}
	id := ""
	if len(rows) > s.pageSize {
		s.qmu.Lock()
		id = s.cursors.add(cur)
		s.qmu.Unlock()
	}
	s.writePage(w, cur, id, 0, s.pageSize)
}

// respondAggregate answers an aggregate query in one batch: Salesforce
// cannot continue a GROUP BY query with queryMore, so there is no
// nextRecordsUrl, and one that groups more rows than a batch holds
// (sfapi.MaxQueryBatch) is refused (the emulator's wording; VERIFY the
// error an org sends).
func (s *Sandbox) respondAggregate(w http.ResponseWriter, base string, rows []row) {
	if len(rows) > sfapi.MaxQueryBatch {
		malformed("the aggregate query groups %d rows; a GROUP BY query cannot be continued with queryMore, so narrow it to at most %d groups", len(rows), sfapi.MaxQueryBatch).write(w)
		return
	}
	if rows == nil {
		rows = []row{}
	}
	s.writePage(w, &cursor{base: base, rows: rows, total: len(rows)}, "", 0, len(rows))
}

func (s *Sandbox) writePage(w http.ResponseWriter, cur *cursor, id string, offset, size int) {
	end := min(offset+size, len(cur.rows))
	res := struct {
		sfapi.QueryResult
		Records []row `json:"records"`
	}{QueryResult: sfapi.QueryResult{TotalSize: cur.total, Done: end >= len(cur.rows), EntityTypeName: cur.entity}, Records: cur.rows[offset:end]}
	if !res.Done {
		res.NextRecordsURL = fmt.Sprintf("%s/%s-%d", cur.base, id, end)
	}
	writeJSON(w, http.StatusOK, res)
}

// queryMore answers GET /query/{locator} and /tooling/query/{locator}.
func (s *Sandbox) queryMore(w http.ResponseWriter, r *http.Request) {
	loc := r.PathValue("locator")
	base := strings.TrimSuffix(r.URL.Path, "/"+loc)
	id, off, ok := strings.Cut(loc, "-")
	offset, err := strconv.Atoi(off)
	s.qmu.Lock()
	cur := s.cursors.byID[id]
	s.qmu.Unlock()
	if !ok || err != nil || cur == nil || cur.base != base || offset <= 0 || offset >= len(cur.rows) {
		writeError(w, http.StatusBadRequest, sfapi.CodeInvalidQueryLocator, "invalid query locator")
		return
	}
	s.writePage(w, cur, id, offset, s.pageSize)
}
