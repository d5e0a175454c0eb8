package generate

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// OneLine folds the whitespace of s and shortens it to max bytes, to
// quote prose from the documentation in code and messages.
func OneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		for max > 0 && !utf8.RuneStart(s[max]) {
			max-- // never cut a character in two
		}
		s = s[:max] + "..."
	}
	return s
}

// union is a followed by the strings of b that a does not hold.
func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
