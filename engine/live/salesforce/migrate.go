package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
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
	var cur *current
	return live.Migrator{
		Own: c.own,
		Reread: func(ctx context.Context, b live.Binding) (*live.Property, bool, error) {
			var err error
			if cur, err = c.readCurrent(ctx, b); err != nil {
				return nil, false, err
			}
			return cur.prop, cur.field.Updateable, nil
		},
		Check: func(mg *live.Migrating) error {
			if o, _ := mg.Property.Option(mg.To); o.Hidden && cur.field.RestrictedPicklist {
				return fmt.Errorf("%s: %q is inactive, and a restricted picklist refuses inactive values", mg.What, mg.To)
			}
			return nil
		},
		Collect: c.collect,
		Write:   c.writeBatch,
		Most:    sfapi.MaxCollection,
		Size:    c.batchSize,
	}.Migrate(ctx, m, onBatch)
}

// collect pages through the records holding value: WHERE field = value,
// or INCLUDES for a multi-select picklist (whose full value it reads too,
// to replace one token).
func (c *Client) collect(ctx context.Context, mg *live.Migrating) (_ []live.Held, more bool, _ error) {
	b, value, multi := mg.Binding, mg.From, mg.Property.MultiValued
	soql := soqlIDsEqual(b.Object, b.Property, value)
	if multi {
		soql = soqlIDsIncludes(b.Object, b.Property, value)
	}
	var recs []live.Held
	err := c.queryAll(ctx, false, soql, func(raw json.RawMessage, total int) error {
		var row map[string]json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Errorf("decode record: %w", err)
		}
		var r live.Held
		if err := json.Unmarshal(row["Id"], &r.ID); err != nil || r.ID == "" {
			return fmt.Errorf("decode record: no Id")
		}
		if multi {
			var v *string
			if err := json.Unmarshal(row[b.Property], &v); err != nil {
				return fmt.Errorf("decode record %s: %s: %w", r.ID, b.Property, err)
			}
			if v != nil {
				r.Value = *v
			}
		}
		recs = append(recs, r)
		if len(recs)%sfapi.MaxQueryBatch == 0 || len(recs) == total {
			mg.Found(len(recs), total)
		}
		return nil
	})
	return recs, false, err
}

// writeBatch moves one batch with an sObject collections update, or a
// Bulk API 2.0 ingest job when it holds more than a collection takes.
func (c *Client) writeBatch(ctx context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
	if len(batch) > sfapi.MaxCollection {
		return c.writeBulk(ctx, mg, batch)
	}
	var br live.BatchResult
	updates := make([]sfapi.RecordUpdate, len(batch))
	for i, h := range batch {
		var val *string // nil clears the field
		if v := mg.NewValue(h.Value); v != "" {
			val = new(v)
		}
		updates[i] = sfapi.RecordUpdate{Type: mg.Object, ID: h.ID, Fields: map[string]*string{mg.Binding.Property: val}}
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
		br.Errors = append(br.Errors, live.RecordError{ID: batch[i].ID, Message: strings.Join(msgs, "; ")})
	}
	return br, nil
}
