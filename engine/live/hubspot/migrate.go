package hubspot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	var res live.MigrationResult
	b, err := c.own(m.Binding)
	if err != nil {
		return res, err
	}
	what := fmt.Sprintf("migrate %s from %q to %q", b, m.From, m.To)
	if m.From == "" || m.From == m.To {
		return res, fmt.Errorf("%s: from must be a value other than to", what)
	}
	cur, err := c.GetProperty(ctx, b.Object, b.Property)
	if err != nil {
		return res, fmt.Errorf("%s: re-read: %w", what, err)
	}
	if cur.ModificationMetadata != nil && cur.ModificationMetadata.ReadOnlyValue {
		return res, &live.ReadOnlyError{Binding: b, What: "record values"}
	}
	lp := c.toLive(b.Object, cur)
	if _, ok := lp.Option(m.To); m.To != "" && !ok {
		return res, fmt.Errorf("%s: %q is not an option of the live property", what, m.To)
	}
	size := m.BatchSize
	if size <= 0 || size > hsapi.MaxBatchInputs {
		size = hsapi.MaxBatchInputs
	}

	done := map[string]bool{}
	for {
		recs, capped, err := c.collect(ctx, b, m.From, lp.MultiValued)
		if err != nil {
			return res, fmt.Errorf("%s: find records: %w", what, err)
		}
		recs = slices.DeleteFunc(recs, func(r record) bool { return done[r.id] })
		if len(recs) == 0 {
			return res, nil
		}
		for chunk := range slices.Chunk(recs, size) {
			br, err := c.writeBatch(ctx, b, chunk, m, lp.MultiValued, res.Batches+1)
			if err != nil {
				return res, fmt.Errorf("%s: batch %d: %w", what, res.Batches+1, err)
			}
			res.Batches++
			res.Updated += br.Updated
			res.Failed += len(br.Errors)
			for _, id := range br.IDs {
				done[id] = true
			}
			if onBatch != nil {
				if err := onBatch(br); err != nil {
					return res, fmt.Errorf("%s: stopped after batch %d: %w", what, br.Seq, err)
				}
			}
		}
		if !capped {
			return res, nil
		}
	}
}

type record struct {
	id, value string
}

// collect pages through the records holding value. capped reports that
// paging stopped at HubSpot's result cap with more to come.
func (c *Client) collect(ctx context.Context, b live.Binding, value string, multi bool) (recs []record, capped bool, err error) {
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
			r := record{id: o.ID}
			if v := o.Properties[b.Property]; v != nil {
				r.value = *v
			}
			recs = append(recs, r)
		}
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

func (c *Client) writeBatch(ctx context.Context, b live.Binding, chunk []record, m live.Migration, multi bool, seq int) (live.BatchResult, error) {
	br := live.BatchResult{Seq: seq, IDs: make([]string, 0, len(chunk))}
	inputs := make([]hsapi.BatchInput, 0, len(chunk))
	for _, r := range chunk {
		v := m.To
		if multi {
			v = replaceToken(r.value, m.From, m.To)
		}
		inputs = append(inputs, hsapi.BatchInput{ID: r.id, Properties: map[string]string{b.Property: v}})
		br.IDs = append(br.IDs, r.id)
	}
	resp, err := c.BatchUpdate(ctx, b.Object, inputs)
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

// replaceToken swaps one ';'-separated token, dropping it when to is empty
// and keeping each token once.
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
