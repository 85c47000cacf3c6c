package hubspot

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

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
// applies ("Search the CRM": paging, limits;
// https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm).
// After the last batch it waits for HubSpot's search index to show the
// writes (see settle).
func (c *Client) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	return live.Migrator{
		Own: c.own, Reread: c.valuesTarget, Find: c.find, Write: c.writeBatch, Settle: c.settle, Most: hsapi.MaxBatchInputs,
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

// byID is the one sort rule migrations search with.
var byID = []hsapi.Sort{{PropertyName: hsapi.PropertyObjectID, Direction: hsapi.Ascending}}

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
			Sorts:        byID,
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

// settle waits until search no longer finds the last records the
// migration wrote holding From. HubSpot's search index lags writes by
// seconds, so a count or a search made at once still finds records
// already moved: a plan made then would count them, and hiding or
// removing From then could not be told safe. The latest writes reach the
// index last, so the check asks about up to 100 of them, with one search
// each time, waiting between tries (on the client's clock) up to the
// client's settle bound (WithSettle).
func (c *Client) settle(ctx context.Context, mg *live.Migrating, accepted []string) error {
	sample := accepted[max(0, len(accepted)-hsapi.MaxBatchInputs):]
	req := hsapi.SearchRequest{
		FilterGroups: []hsapi.FilterGroup{{Filters: []hsapi.Filter{
			valueFilter(mg.Binding.Property, mg.From, mg.Property.MultiValued),
			{PropertyName: hsapi.PropertyObjectID, Operator: hsapi.OpIN, Values: sample},
		}}},
		Sorts:      byID,
		Properties: []string{hsapi.PropertyObjectID},
		Limit:      1,
	}
	start := c.api.Clock.Now()
	wait := settleFirstWait
	for {
		resp, err := c.Search(ctx, mg.Object, req)
		if err != nil {
			return fmt.Errorf("check that HubSpot's search shows the writes: %w", err)
		}
		waited := c.api.Clock.Now().Sub(start)
		if resp.Total == 0 {
			if waited > 0 {
				c.api.Log.Info("hubspot: search index caught up", "system", c.api.System, "binding", mg.Binding.String(), "waited", waited)
			}
			return nil
		}
		if waited >= c.settleFor {
			return fmt.Errorf("HubSpot's search still finds %d of the last %d records written holding %q after %s; its index lags writes: run mops plan again shortly, and nothing is hidden or removed until a recount shows none", resp.Total, len(sample), mg.From, waited.Round(time.Second))
		}
		if err := c.api.Clock.Sleep(ctx, min(wait, c.settleFor-waited)); err != nil {
			return err
		}
		wait = min(2*wait, settleMaxWait)
	}
}

// Waits between checks that the search index shows a migration's writes.
const (
	settleFirstWait = 500 * time.Millisecond
	settleMaxWait   = 5 * time.Second
)

// lifecycleStage is the HubSpot-defined property holding a contact's or
// company's lifecycle stage.
const lifecycleStage = "lifecyclestage"

// writeBatch moves one batch with batch update and checks the value
// HubSpot answers for each record: a write it ignored is a record error,
// not an update. A lifecycle stage moved backwards is cleared first, then
// set: HubSpot ignores a backward write (see backwards).
func (c *Client) writeBatch(ctx context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
	var br live.BatchResult
	want := make(map[string]string, len(batch))
	ids := make([]string, 0, len(batch))
	for _, h := range batch {
		want[h.ID] = mg.NewValue(h.Value)
		ids = append(ids, h.ID)
	}
	if backwards(mg) {
		cleared, refused, err := c.writeValues(ctx, mg, ids, func(string) string { return "" })
		if err != nil {
			return br, fmt.Errorf("clear %s before moving it back: %w", mg.Binding.Property, err)
		}
		br.Errors = append(br.Errors, refused...)
		ids = slices.DeleteFunc(ids, func(id string) bool { _, ok := cleared[id]; return !ok })
	}
	got, refused, err := c.writeValues(ctx, mg, ids, func(id string) string { return want[id] })
	if err != nil {
		if backwards(mg) {
			c.restore(ctx, mg, ids)
		}
		return br, err
	}
	br.Errors = append(br.Errors, refused...)
	var kept []string
	for _, id := range ids {
		v, answered := got[id]
		switch {
		case !answered:
			kept = append(kept, id)
			if !slices.ContainsFunc(refused, func(e live.RecordError) bool { return e.ID == id }) {
				br.Errors = append(br.Errors, live.RecordError{ID: id, Message: "HubSpot's answer does not name the record"})
			}
		case v != want[id]:
			br.Errors = append(br.Errors, live.RecordError{ID: id, Message: fmt.Sprintf("HubSpot answered %s = %q, not the %q written: it ignored the write", mg.Binding.Property, v, want[id])})
		default:
			br.Updated++
		}
	}
	if backwards(mg) && len(kept) > 0 {
		c.restore(ctx, mg, kept)
	}
	return br, nil
}

// writeValues sets the bound property of each record in ids to value(id)
// with one batch update. It returns the value HubSpot answers for each
// record it updated (a property it left out of the answer counts as
// written), and the records it refused, each with HubSpot's reason.
func (c *Client) writeValues(ctx context.Context, mg *live.Migrating, ids []string, value func(id string) string) (map[string]string, []live.RecordError, error) {
	if len(ids) == 0 {
		return map[string]string{}, nil, nil
	}
	prop := mg.Binding.Property
	inputs := make([]hsapi.BatchInput, len(ids))
	for i, id := range ids {
		inputs[i] = hsapi.BatchInput{ID: id, Properties: map[string]string{prop: value(id)}}
	}
	resp, err := c.BatchUpdate(ctx, mg.Object, inputs)
	if err != nil {
		return nil, nil, err
	}
	got := make(map[string]string, len(resp.Results))
	for _, o := range resp.Results {
		v, ok := o.Properties[prop]
		switch {
		case !ok:
			got[o.ID] = value(o.ID)
		case v == nil:
			got[o.ID] = ""
		default:
			got[o.ID] = *v
		}
	}
	var refused []live.RecordError
	for _, e := range resp.Errors {
		msg := c.api.Redact(e.Message)
		if len(e.Context["ids"]) == 0 {
			refused = append(refused, live.RecordError{Message: msg})
		}
		for _, id := range e.Context["ids"] {
			refused = append(refused, live.RecordError{ID: id, Message: msg})
		}
	}
	return got, refused, nil
}

// restore sets records cleared for a backward move back to From, after
// the move failed for them: from no stage, any stage is a forward move.
// It is best effort; a record it cannot restore holds no stage, and the
// migration's error or record errors already say so.
func (c *Client) restore(ctx context.Context, mg *live.Migrating, ids []string) {
	_, _, _ = c.writeValues(ctx, mg, ids, func(string) string { return mg.From })
}

// backwards reports whether a migration moves a lifecycle stage to an
// earlier one, which HubSpot ignores unless the stage is cleared first
// (HubSpot community, "Update Lifecycle Stage Using API":
// https://integrate.hubspot.com/t/update-lifecycle-stage-using-api/1333).
// Stages are ordered as the property shows its options.
func backwards(mg *live.Migrating) bool {
	if mg.Binding.Property != lifecycleStage || mg.To == "" {
		return false
	}
	order := slices.Clone(mg.Property.Options)
	slices.SortStableFunc(order, func(a, b live.Option) int { return cmp.Compare(shownAt(a.DisplayOrder), shownAt(b.DisplayOrder)) })
	at := func(v string) int { return slices.IndexFunc(order, func(o live.Option) bool { return o.Value == v }) }
	from, to := at(mg.From), at(mg.To)
	return from >= 0 && to >= 0 && to < from
}

// shownAt is where HubSpot shows an option of displayOrder: -1 after
// every other.
func shownAt(displayOrder int) int {
	if displayOrder < 0 {
		return math.MaxInt
	}
	return displayOrder
}
