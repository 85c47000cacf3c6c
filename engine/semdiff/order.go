package semdiff

import "slices"

// item is one element of a list of objects identified by a key field (a
// taxonomy value, a stage id, a role id).
type item struct {
	key   string
	index int
	m     map[string]any
}

// keyed indexes the objects of list v by their field key, in list order.
// Items without the key, and repeats of a key, are skipped: validation
// reports those.
func keyed(v any, field string) ([]item, map[string]item) {
	var order []item
	byKey := map[string]item{}
	for i, x := range list(v) {
		m := mapping(x)
		k := str(m[field])
		if k == "" {
			continue
		}
		if _, dup := byKey[k]; dup {
			continue
		}
		it := item{key: k, index: i, m: m}
		order = append(order, it)
		byKey[k] = it
	}
	return order, byKey
}

// moved returns the keys, present on both sides, that changed their order:
// the fewest keys whose moving turns base's order into head's (everything
// outside a longest common subsequence). They come in head order.
func moved(base, head []item, inBase map[string]item) []string {
	// Positions, in base order, of the keys both sides share, listed in head order.
	var keys []string
	var seq []int
	rank := map[string]int{}
	n := 0
	for _, it := range base {
		rank[it.key] = n
		n++
	}
	for _, it := range head {
		if _, ok := inBase[it.key]; ok {
			keys = append(keys, it.key)
			seq = append(seq, rank[it.key])
		}
	}
	keep := longestIncreasing(seq)
	var out []string
	for i, k := range keys {
		if !keep[i] {
			out = append(out, k)
		}
	}
	return out
}

// longestIncreasing marks the elements of one longest strictly increasing
// subsequence of seq (patience sorting, O(n log n)).
func longestIncreasing(seq []int) []bool {
	var tails []int // index into seq of the smallest tail of each length
	prev := make([]int, len(seq))
	for i, v := range seq {
		j, _ := slices.BinarySearchFunc(tails, v, func(t, v int) int { return seq[t] - v })
		if j > 0 {
			prev[i] = tails[j-1]
		} else {
			prev[i] = -1
		}
		if j == len(tails) {
			tails = append(tails, i)
		} else {
			tails[j] = i
		}
	}
	keep := make([]bool, len(seq))
	if len(tails) == 0 {
		return keep
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep[i] = true
	}
	return keep
}

// position returns the 1-based position of key in order, or 0.
func position(order []item, key string) int {
	for i, it := range order {
		if it.key == key {
			return i + 1
		}
	}
	return 0
}
