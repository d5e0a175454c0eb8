package dsl

import (
	"sort"
	"strings"
)

// Closest returns up to n candidates close to name, best first: an exact
// match ignoring case, then small edit distances (typos such as
// updateabel for updateable).
func Closest(name string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	seen := map[string]bool{}
	var out []scored
	lname := strings.ToLower(name)
	limit := max(1, min(3, len(name)/3))
	for _, c := range candidates {
		if c == name || seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		d := EditDistance(lname, lc)
		switch {
		case lname == lc:
			d = 0
		case strings.HasPrefix(lc, lname) && len(lname) >= 3 || strings.HasPrefix(lname, lc) && len(lc) >= 3:
			d = min(d, limit)
		}
		if d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].s < out[j].s
	})
	var names []string
	for i := 0; i < len(out) && i < n; i++ {
		names = append(names, out[i].s)
	}
	return names
}

// EditDistance is the Damerau-Levenshtein distance (with adjacent
// transpositions, the commonest typo).
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
