package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// countChunk is the most values one aggregate count asks for. A GROUP BY
// answer cannot be continued with queryMore, so its groups must fit one
// batch (2,000 rows); the IN list bounds them, far below that, and keeps
// the query short.
const countChunk = 200

// CountRecords implements live.Provider. A single-select picklist is
// counted with one aggregate query per 200 values,
// SELECT <field>, COUNT(Id) FROM <object> WHERE <field> IN (...) GROUP BY <field>;
// the empty value (records without one) costs one SELECT COUNT() ... WHERE
// <field> = null. SOQL cannot group by a multi-select picklist, so those
// cost one SELECT COUNT() ... WHERE <field> INCLUDES ('<value>') per
// value. SOQL compares picklist values without regard to case, so a
// record holding "web" counts for "Web". Values no record holds count 0.
// On Lead, only unconverted leads count (Coverage counts the others).
func (c *Client) CountRecords(ctx context.Context, b live.Binding, values []string) (map[string]int, error) {
	b, err := c.own(b)
	if err != nil {
		return nil, err
	}
	return c.count(ctx, b, values, movable(b.Object))
}

// count counts the records of b's object that match scope (a SOQL
// condition; "" for all) and hold each value.
func (c *Client) count(ctx context.Context, b live.Binding, values []string, scope string) (map[string]int, error) {
	counts := make(map[string]int, len(values))
	for _, v := range values {
		counts[v] = 0
	}
	if len(counts) == 0 {
		return counts, nil
	}
	multi, err := c.multiValued(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", b, err)
	}
	if multi {
		if _, ok := counts[""]; ok {
			return nil, fmt.Errorf("count %s: records without a value of a multi-select picklist cannot be counted", b)
		}
		for v := range counts {
			page, err := c.Query(ctx, soqlCountIncludes(b.Object, b.Property, v, scope))
			if err != nil {
				return nil, fmt.Errorf("count %s = %q: %w", b, v, err)
			}
			counts[v] = page.TotalSize
		}
		return counts, nil
	}
	if _, ok := counts[""]; ok {
		page, err := c.Query(ctx, soqlCountNull(b.Object, b.Property, scope))
		if err != nil {
			return nil, fmt.Errorf("count %s without a value: %w", b, err)
		}
		counts[""] = page.TotalSize
	}
	asked := slices.DeleteFunc(slices.Sorted(maps.Keys(counts)), func(v string) bool { return v == "" })
	for chunk := range slices.Chunk(asked, countChunk) {
		if err := c.countGroups(ctx, b, chunk, scope, counts); err != nil {
			return nil, fmt.Errorf("count %s: %w", b, err)
		}
	}
	return counts, nil
}

// countGroups adds the aggregate counts of values to counts. Each row's
// value is matched to the asked values without regard to case, as SOQL
// matched it.
func (c *Client) countGroups(ctx context.Context, b live.Binding, values []string, scope string, counts map[string]int) error {
	page, err := c.Query(ctx, soqlCountGroupIn(b.Object, b.Property, values, scope))
	if err != nil {
		return err
	}
	if !page.Done {
		return fmt.Errorf("the aggregate answer was paged, which Salesforce does not do for GROUP BY")
	}
	for _, raw := range page.Records {
		var row map[string]json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Errorf("decode aggregate row: %w", err)
		}
		var value *string
		var n int
		if err := json.Unmarshal(row[b.Property], &value); err != nil {
			return fmt.Errorf("decode aggregate row: %s: %w", b.Property, err)
		}
		if err := json.Unmarshal(row[sfapi.CountAlias], &n); err != nil {
			return fmt.Errorf("decode aggregate row: %s: %w", sfapi.CountAlias, err)
		}
		if value == nil {
			continue
		}
		for _, v := range values {
			if strings.EqualFold(v, *value) {
				counts[v] += n
			}
		}
	}
	return nil
}

// multiValued answers from what a read learnt, else describes the object.
func (c *Client) multiValued(ctx context.Context, b live.Binding) (bool, error) {
	if multi, ok := c.multi.Load(b); ok {
		return multi, nil
	}
	d, err := c.Describe(ctx, b.Object)
	if err != nil {
		return false, err
	}
	f, ok := d.Field(b.Property)
	if !ok {
		return false, fmt.Errorf("%s: no field %s on %s: %w", c.api.System, b.Property, b.Object, live.ErrNotFound)
	}
	c.rememberMulti(b.Object, f)
	return f.Type == sfapi.FieldMultiPicklist, nil
}
