package plan

import (
	"slices"

	"github.com/mops-dev/mops/engine/live"
)

// ApplyTo returns the option list a property must have once change c is
// carried out on a property whose options are now cur. It is idempotent:
// applying a change to its own result changes nothing, which is what makes
// a crashed apply safe to run again. Migrations and property creation do
// not change options and return cur.
func (c Change) ApplyTo(cur []live.Option) []live.Option {
	out := slices.Clone(cur)
	idx := slices.IndexFunc(out, func(o live.Option) bool { return o.Value == c.Value })
	switch c.Action {
	case Create:
		if c.Value == "" || c.After == nil {
			return out
		}
		if idx >= 0 {
			out[idx] = *c.After
			return out
		}
		return append(out, *c.After)
	case Update:
		if c.Value == "" {
			pos := map[string]int{}
			for i, v := range c.OrderAfter {
				pos[v] = i
			}
			for i := range out {
				if p, ok := pos[out[i].Value]; ok {
					out[i].DisplayOrder = p
				}
			}
			return out
		}
		if idx >= 0 && c.After != nil {
			order := out[idx].DisplayOrder
			out[idx] = *c.After
			out[idx].DisplayOrder = order // display order belongs to the reorder step
		}
		return out
	case Hide:
		if idx >= 0 {
			out[idx].Hidden = true
		}
		return out
	case Remove:
		if idx >= 0 {
			out = slices.Delete(out, idx, idx+1)
		}
		return out
	}
	return out
}
