package hubspot

import (
	"context"
	"fmt"
	"sync"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// countWorkers bounds concurrent count searches; the search limiter sets
// the pace anyway.
const countWorkers = 4

// CountRecords implements live.Provider with one search per distinct value
// (limit 1, reading only the total). Multi-valued properties are matched
// with CONTAINS_TOKEN, others with EQ; the empty value counts the records
// without one (NOT_HAS_PROPERTY). Whether HubSpot caps total at 10,000
// is not documented; a count at the cap is then a lower bound.
func (c *Client) CountRecords(ctx context.Context, b live.Binding, values []string) (map[string]int, error) {
	b, err := c.own(b)
	if err != nil {
		return nil, err
	}
	multi, err := c.multiValued(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", b, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		counts   = make(map[string]int, len(values))
		firstErr error
		jobs     = make(chan string)
		wg       sync.WaitGroup
	)
	for range min(countWorkers, max(1, len(values))) {
		wg.Go(func() {
			for v := range jobs {
				n, err := c.countValue(ctx, b, v, multi)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("count %s = %q: %w", b, v, err)
					cancel()
				}
				counts[v] = n
				mu.Unlock()
			}
		})
	}
	seen := map[string]bool{}
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		select {
		case jobs <- v:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return counts, nil
}

func (c *Client) countValue(ctx context.Context, b live.Binding, value string, multi bool) (int, error) {
	resp, err := c.Search(ctx, b.Object, hsapi.SearchRequest{
		FilterGroups: []hsapi.FilterGroup{{Filters: []hsapi.Filter{valueFilter(b.Property, value, multi)}}},
		Properties:   []string{"hs_object_id"},
		Limit:        1,
	})
	if err != nil {
		return 0, err
	}
	return resp.Total, nil
}

func valueFilter(property, value string, multi bool) hsapi.Filter {
	if value == "" {
		return hsapi.Filter{PropertyName: property, Operator: hsapi.OpNotHasProperty}
	}
	op := hsapi.OpEQ
	if multi {
		op = hsapi.OpContainsToken
	}
	return hsapi.Filter{PropertyName: property, Operator: op, Value: value}
}

// multiValued answers from what Read learnt, else reads the property.
func (c *Client) multiValued(ctx context.Context, b live.Binding) (bool, error) {
	if multi, ok := c.multi.Load(b); ok {
		return multi, nil
	}
	p, err := c.GetProperty(ctx, b.Object, b.Property)
	if err != nil {
		return false, err
	}
	multi := isMultiValued(p)
	c.multi.Store(b, multi)
	return multi, nil
}

// Coverage implements live.Provider: HubSpot keeps no record from a
// migration, and a private app's token sees every record of the portal,
// so counts leave nothing out.
func (c *Client) Coverage(_ context.Context, b live.Binding, _ []string) (live.Coverage, error) {
	_, err := c.own(b)
	return live.Coverage{}, err
}
