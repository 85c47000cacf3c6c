// Package suggest finds the "did you mean" for a misspelt value: the
// closest of the allowed ones, if any is close enough to be a typo. Schema
// messages, naming conventions and waiver rule ids all use it.
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate nearest to value, compared case-insensitively
// by Damerau-Levenshtein (optimal string alignment) distance, or "" when no
// candidate is close enough to be a plausible typo. A candidate that differs
// only in case always wins. Ties go to the earliest candidate.
//
// "Close enough" grows with the length of value: one edit for up to five
// characters, two for six to eight, and one more for every three after.
func Closest(value string, candidates []string) string {
	v := strings.ToLower(value)
	n := utf8.RuneCountInString(v)
	limit := max(1, n/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := editDistance(v, strings.ToLower(c), bestDist)
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b,
// computed over runes. It returns a value >= bound as soon as the distance
// is known to reach bound.
func editDistance(a, b string, bound int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= bound || -d >= bound {
		return bound
	}
	// Three rolling rows: two back (for transpositions), previous, current.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
