package salesforce

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// CountRecords implements live.Provider. A single-select picklist is
// counted for every value in one query,
// SELECT <field>, COUNT(Id) FROM <object> GROUP BY <field>, paging through
// nextRecordsUrl. SOQL cannot group by a multi-select picklist, so those
// cost one SELECT COUNT() ... WHERE <field> INCLUDES ('<value>') per value.
// Values no record holds count 0; the empty value counts the records
// without one (the GROUP BY's null row).
func (c *Client) CountRecords(ctx context.Context, b live.Binding, values []string) (map[string]int, error) {
	b, err := c.own(b)
	if err != nil {
		return nil, err
	}
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
			page, err := c.Query(ctx, soqlCountIncludes(b.Object, b.Property, v))
			if err != nil {
				return nil, fmt.Errorf("count %s = %q: %w", b, v, err)
			}
			counts[v] = page.TotalSize
		}
		return counts, nil
	}
	err = c.queryAll(ctx, false, soqlCountGroup(b.Object, b.Property), func(raw json.RawMessage, _ int) error {
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
		v := "" // records without a value
		if value != nil {
			v = *value
		}
		if _, asked := counts[v]; asked {
			counts[v] += n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", b, err)
	}
	return counts, nil
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
