package hubspot

import (
	"context"
	"strconv"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// MigrateRecords implements live.Provider. It re-reads the property (to
// check that To is an option and values are writable), collects the ids of
// records holding From by paging search (200 per page, up to HubSpot's
// 10,000-result paging cap), then writes them with batch update, calling
// onBatch after each accepted batch. Collecting before writing keeps the
// paging stable; when the cap was hit, it searches again for the rest.
func (c *Client) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	return live.Migrator{
		Own: c.own, Reread: c.valuesTarget, Collect: c.collect, Write: c.writeBatch, Most: hsapi.MaxBatchInputs,
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

// collect pages through the records holding From. capped reports that
// paging stopped at HubSpot's result cap with more to come.
func (c *Client) collect(ctx context.Context, mg *live.Migrating) (recs []live.Held, capped bool, err error) {
	b, value, multi := mg.Binding, mg.From, mg.Property.MultiValued
	after := "0"
	for {
		resp, err := c.Search(ctx, b.Object, hsapi.SearchRequest{
			FilterGroups: []hsapi.FilterGroup{{Filters: []hsapi.Filter{valueFilter(b.Property, value, multi)}}},
			Properties:   []string{b.Property},
			Limit:        hsapi.MaxSearchLimit,
			After:        after,
		})
		if err != nil {
			return nil, false, err
		}
		for _, o := range resp.Results {
			r := live.Held{ID: o.ID}
			if v := o.Properties[b.Property]; v != nil {
				r.Value = *v
			}
			recs = append(recs, r)
		}
		mg.Found(len(recs), resp.Total)
		if resp.Paging == nil || resp.Paging.Next == nil || resp.Paging.Next.After == "" || len(resp.Results) == 0 {
			return recs, false, nil
		}
		after = resp.Paging.Next.After
		if n, err := strconv.Atoi(after); err == nil && n >= hsapi.MaxSearchResults {
			return recs, true, nil
		}
		if len(recs) >= hsapi.MaxSearchResults {
			return recs, true, nil
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
