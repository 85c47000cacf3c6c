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
// that values are writable and To is a value of the picklist), pages
// through the Ids of the records holding From with one query
// (nextRecordsUrl; the cursor is a snapshot, so writing earlier pages
// does not shift later ones), and writes each batch as soon as it is
// found: sObject collections of 200 with allOrNone false, or, once the
// query announces more records than the bulk threshold (default
// 10,000), Bulk API 2.0 ingest jobs. onBatch is called after each
// accepted call or job. A re-run finds only the records still holding
// From, so a migration resumes where it stopped. On Lead it leaves
// converted leads alone unless m.IncludeKept, which needs "View and Edit
// Converted Leads".
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
			if !mg.IncludeKept || mg.Object != convertedObject {
				return nil
			}
			acc, err := c.access(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", mg.What, err)
			}
			if !acc.editConverted {
				return fmt.Errorf("%s: converted leads cannot be included: the integration user lacks the View and Edit Converted Leads permission", mg.What)
			}
			return nil
		},
		Find:  c.find,
		Write: c.writeBatch,
		Most:  sfapi.MaxCollection,
		Size:  c.batchSize,
	}.Migrate(ctx, m, onBatch)
}

// find pages through the records holding value: WHERE field = value,
// or INCLUDES for a multi-select picklist (whose full value it reads too,
// to replace one token). The query's cursor is a snapshot, so pages stay
// stable while earlier ones are written.
func (c *Client) find(ctx context.Context, mg *live.Migrating, emit func([]live.Held, int) error) error {
	b, value, multi := mg.Binding, mg.From, mg.Property.MultiValued
	scope := movable(b.Object)
	if mg.IncludeKept {
		scope = ""
	}
	soql := soqlIDsEqual(b.Object, b.Property, value, scope)
	if multi {
		soql = soqlIDsIncludes(b.Object, b.Property, value, scope)
	}
	var page []live.Held
	seen := 0
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
		page = append(page, r)
		if seen++; len(page) == sfapi.MaxQueryBatch || seen == total {
			err := emit(page, total)
			page = nil
			return err
		}
		return nil
	})
	if err == nil && len(page) > 0 {
		err = emit(page, seen)
	}
	return err
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
