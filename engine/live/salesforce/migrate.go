package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// MigrateRecords implements live.Provider. It re-reads the field (to check
// that values are writable and To is a value of the picklist), collects the
// Ids of the records holding From with one query paged through
// nextRecordsUrl, then writes them with sObject collections, up to 200 per
// call with allOrNone false, calling onBatch after each accepted call.
// Collecting before writing keeps the paging stable; a re-run finds only
// the records still holding From, so a migration resumes where it stopped.
func (c *Client) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	var res live.MigrationResult
	b, err := c.own(m.Binding)
	if err != nil {
		return res, err
	}
	what := fmt.Sprintf("migrate %s from %q to %q", b, m.From, m.To)
	if m.From == "" || m.From == m.To {
		return res, fmt.Errorf("%s: from must be a value other than to", what)
	}
	cur, err := c.readCurrent(ctx, b)
	if err != nil {
		return res, fmt.Errorf("%s: re-read: %w", what, err)
	}
	if !cur.field.Updateable {
		return res, &live.ReadOnlyError{Binding: b, What: "record values"}
	}
	if m.To != "" {
		o, ok := cur.prop.Option(m.To)
		switch {
		case !ok:
			return res, fmt.Errorf("%s: %q is not a value of the live picklist", what, m.To)
		case o.Hidden && cur.field.RestrictedPicklist:
			return res, fmt.Errorf("%s: %q is inactive, and a restricted picklist refuses inactive values", what, m.To)
		}
	}
	multi := cur.prop.MultiValued
	recs, err := c.collect(ctx, b, m.From, multi)
	if err != nil {
		return res, fmt.Errorf("%s: find records: %w", what, err)
	}
	size := m.BatchSize
	if size <= 0 || size > sfapi.MaxCollection {
		size = sfapi.MaxCollection
	}
	for chunk := range slices.Chunk(recs, size) {
		br, err := c.writeBatch(ctx, b, chunk, m, multi, res.Batches+1)
		if err != nil {
			return res, fmt.Errorf("%s: batch %d: %w", what, res.Batches+1, err)
		}
		res.Batches++
		res.Updated += br.Updated
		res.Failed += len(br.Errors)
		if onBatch != nil {
			if err := onBatch(br); err != nil {
				return res, fmt.Errorf("%s: stopped after batch %d: %w", what, br.Seq, err)
			}
		}
	}
	return res, nil
}

type record struct {
	id, value string
}

// collect pages through the records holding value: WHERE field = value,
// or INCLUDES for a multi-select picklist (whose full value it reads too,
// to replace one token).
func (c *Client) collect(ctx context.Context, b live.Binding, value string, multi bool) ([]record, error) {
	soql := soqlIDsEqual(b.Object, b.Property, value)
	if multi {
		soql = soqlIDsIncludes(b.Object, b.Property, value)
	}
	var recs []record
	err := c.queryAll(ctx, false, soql, func(raw json.RawMessage) error {
		var row map[string]json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Errorf("decode record: %w", err)
		}
		var r record
		if err := json.Unmarshal(row["Id"], &r.id); err != nil || r.id == "" {
			return fmt.Errorf("decode record: no Id")
		}
		if multi {
			var v *string
			if err := json.Unmarshal(row[b.Property], &v); err != nil {
				return fmt.Errorf("decode record %s: %s: %w", r.id, b.Property, err)
			}
			if v != nil {
				r.value = *v
			}
		}
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

func (c *Client) writeBatch(ctx context.Context, b live.Binding, chunk []record, m live.Migration, multi bool, seq int) (live.BatchResult, error) {
	br := live.BatchResult{Seq: seq, IDs: make([]string, 0, len(chunk))}
	updates := make([]sfapi.RecordUpdate, 0, len(chunk))
	for _, r := range chunk {
		v := m.To
		if multi {
			v = replaceToken(r.value, m.From, m.To)
		}
		var val *string // nil clears the field
		if v != "" {
			val = new(v)
		}
		updates = append(updates, sfapi.RecordUpdate{Type: b.Object, ID: r.id, Fields: map[string]*string{b.Property: val}})
		br.IDs = append(br.IDs, r.id)
	}
	results, err := c.UpdateRecords(ctx, updates)
	if err != nil {
		return br, err
	}
	for i, r := range results {
		if r.Success {
			br.Updated++
			continue
		}
		var msgs []string
		for _, e := range r.Errors {
			msgs = append(msgs, c.api.Redact(strings.TrimSpace(e.StatusCode+": "+e.Message)))
		}
		br.Errors = append(br.Errors, live.RecordError{ID: chunk[i].id, Message: strings.Join(msgs, "; ")})
	}
	return br, nil
}

// replaceToken swaps one ';'-separated value of a multi-select picklist,
// dropping it when to is empty and keeping each value once.
func replaceToken(value, from, to string) string {
	var out []string
	for _, t := range strings.Split(value, ";") {
		if t == from {
			t = to
		}
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, ";")
}
