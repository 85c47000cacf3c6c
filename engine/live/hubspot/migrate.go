package hubspot

import (
	"context"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// MigrateRecords implements live.Provider. It re-reads the property (to
// check that To is an option and values are writable), pages through the
// records holding From with search, and writes each batch of 100 with
// batch update as soon as it is found, calling onBatch after each accepted
// batch. Search pages by record id (hs_object_id above the last one
// seen, ascending) rather than by offset, so writing earlier pages does
// not shift later ones, and HubSpot's 10,000-result paging cap never
// applies.
func (c *Client) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	return live.Migrator{
		Own: c.own, Reread: c.valuesTarget, Find: c.find, Write: c.writeBatch, Most: hsapi.MaxBatchInputs,
	}.Migrate(ctx, m, onBatch)
}

// valuesTarget re-reads the property a migration writes, and whether its
// record values are writable.
func (c *Client) valuesTarget(ctx context.Context, b live.Binding) (*live.Property, bool, error) {
	cur, err := c.GetProperty(ctx, b.Object, b.Property)
	if err != nil {
		return nil, false, err
	}
	return c.toLive(b.Object, cur), cur.ModificationMetadata == nil || !cur.ModificationMetadata.ReadOnlyValue, nil
}

// find pages through the records holding From, 200 a page: each search
// asks for ids above the last one seen, sorted by id, so every page starts
// where the last ended whatever was written meanwhile. total is what the
// first search announced.
func (c *Client) find(ctx context.Context, mg *live.Migrating, emit func([]live.Held, int) error) error {
	b, value, multi := mg.Binding, mg.From, mg.Property.MultiValued
	last, total := "", 0
	for {
		filters := []hsapi.Filter{valueFilter(b.Property, value, multi)}
		if last != "" {
			filters = append(filters, hsapi.Filter{PropertyName: hsapi.PropertyObjectID, Operator: hsapi.OpGT, Value: last})
		}
		resp, err := c.Search(ctx, b.Object, hsapi.SearchRequest{
			FilterGroups: []hsapi.FilterGroup{{Filters: filters}},
			Sorts:        []string{hsapi.PropertyObjectID},
			Properties:   []string{b.Property},
			Limit:        hsapi.MaxSearchLimit,
			After:        "0",
		})
		if err != nil {
			return err
		}
		if last == "" {
			total = resp.Total
		}
		page := make([]live.Held, 0, len(resp.Results))
		for _, o := range resp.Results {
			r := live.Held{ID: o.ID}
			if v := o.Properties[b.Property]; v != nil {
				r.Value = *v
			}
			page = append(page, r)
		}
		if len(page) > 0 {
			if err := emit(page, total); err != nil {
				return err
			}
			last = page[len(page)-1].ID
		}
		if len(page) < hsapi.MaxSearchLimit || resp.Paging == nil || resp.Paging.Next == nil {
			return nil
		}
	}
}

// writeBatch moves one batch with batch update.
func (c *Client) writeBatch(ctx context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
	var br live.BatchResult
	inputs := make([]hsapi.BatchInput, len(batch))
	for i, h := range batch {
		inputs[i] = hsapi.BatchInput{ID: h.ID, Properties: map[string]string{mg.Binding.Property: mg.NewValue(h.Value)}}
	}
	resp, err := c.BatchUpdate(ctx, mg.Object, inputs)
	if err != nil {
		return br, err
	}
	br.Updated = len(resp.Results)
	for _, e := range resp.Errors {
		ids := e.Context["ids"]
		if len(ids) == 0 {
			br.Errors = append(br.Errors, live.RecordError{Message: c.api.Redact(e.Message)})
		}
		for _, id := range ids {
			br.Errors = append(br.Errors, live.RecordError{ID: id, Message: c.api.Redact(e.Message)})
		}
	}
	return br, nil
}
