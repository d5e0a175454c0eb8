package generate

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// A regeneration over code the user wrote (or edited since connls wrote
// it) never replaces it wholesale. A normal regeneration changes only the
// statements connls has an opinion about and that disagree: the
// connIdAttribute lines of a mapping, the supportedAttributes of an
// endpoint; everything else, comments and commented-out code included,
// stays. A regeneration from scratch takes the generated block but keeps
// the user's comments where they stood. Either way the face asks before
// it applies the change (Result.Confirm).

var (
	mappingRE   = regexp.MustCompile(`^\s*connIdAttribute\s*\(?\s*["'](UID|NAME)["']`)
	yamlMapRE   = regexp.MustCompile(`^\s*(UID|NAME)\s*:`)
	supportedRE = regexp.MustCompile(`^\s*supportedAttributes\b`)
	endpointRE  = regexp.MustCompile(`^\s*endpoint\s*\(([^)]*)\)`)
)

// item is a statement of a block: one line, or a statement that goes on
// over the lines that follow a trailing comma.
type item struct {
	lines   []string
	key     string // what it decides: "UID", "NAME", "supportedAttributes of endpoint(...)"
	comment bool
}

// norm is an item's text as compared: without indentation, a trailing
// semicolon, and with one kind of quotes ('a' and "a" are the same
// string to Groovy).
func (it item) norm() string {
	var parts []string
	for _, l := range it.lines {
		parts = append(parts, strings.TrimSpace(l))
	}
	s := strings.TrimSpace(strings.TrimSuffix(strings.Join(parts, " "), ";"))
	return strings.ReplaceAll(s, "'", `"`)
}

// items splits a block into statements and keys the ones generation
// decides.
func items(text string, yaml bool) []item {
	var out []item
	endpoint := ""
	inBlock := false
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		it := item{lines: []string{l}, comment: isCommentLine(t, yaml, &inBlock)}
		if it.comment {
			out = append(out, it)
			continue
		}
		switch {
		case mappingRE.MatchString(l):
			it.key = mappingRE.FindStringSubmatch(l)[1]
		case yaml && yamlMapRE.MatchString(l):
			it.key = yamlMapRE.FindStringSubmatch(l)[1]
		case endpointRE.MatchString(l):
			endpoint = "endpoint(" + strings.Join(strings.Fields(endpointRE.FindStringSubmatch(l)[1]), " ") + ")"
		case supportedRE.MatchString(l):
			it.key = "supportedAttributes of " + endpoint
			for strings.HasSuffix(strings.TrimSpace(it.lines[len(it.lines)-1]), ",") && i+1 < len(lines) {
				i++
				it.lines = append(it.lines, lines[i])
			}
		}
		out = append(out, it)
	}
	return out
}

// isCommentLine reports whether a trimmed line is a comment, following
// /* */ comments over lines.
func isCommentLine(t string, yaml bool, inBlock *bool) bool {
	if yaml {
		return strings.HasPrefix(t, "#")
	}
	if *inBlock {
		if strings.Contains(t, "*/") {
			*inBlock = false
		}
		return true
	}
	if strings.HasPrefix(t, "/*") {
		*inBlock = !strings.Contains(t[2:], "*/")
		return true
	}
	return strings.HasPrefix(t, "//")
}

func indentOf(l string) string { return l[:len(l)-len(strings.TrimLeft(l, " \t"))] }

// reindent moves an item's lines from the indentation of its first line
// to indent.
func reindent(it item, indent string) []string {
	from := indentOf(it.lines[0])
	out := make([]string, len(it.lines))
	for i, l := range it.lines {
		out[i] = indent + strings.TrimPrefix(l, from)
	}
	return out
}

// mergeKeyed is the normal regeneration over hand-written code: the
// generated statements replace the statements with the same key that
// disagree, a mapping the block lacks is added after the others, and
// nothing else changes. It returns the merged text, what changed, and
// what connls would add but leaves to a regeneration from scratch.
func mergeKeyed(cur, gen string, yaml bool) (string, []string, []string) {
	genItems := items(gen, yaml)
	byKey := map[string]int{}
	endpoints := map[string]bool{}
	for i, it := range genItems {
		if it.key != "" {
			byKey[it.key] = i
		}
	}
	curItems := items(cur, yaml)
	for _, it := range curItems {
		if m := endpointRE.FindStringSubmatch(it.lines[0]); m != nil && !it.comment {
			endpoints["endpoint("+strings.Join(strings.Fields(m[1]), " ")+")"] = true
		}
	}
	var out, changed, left []string
	used := map[string]bool{}
	lastMapping := -1
	for _, it := range curItems {
		j, ok := byKey[it.key]
		if it.key == "" || !ok || used[it.key] {
			out = append(out, it.lines...)
			continue
		}
		used[it.key] = true
		g := genItems[j]
		if sameStatement(g, it) {
			out = append(out, it.lines...)
		} else {
			lines := reindent(g, indentOf(it.lines[0]))
			if strings.HasSuffix(strings.TrimSpace(it.lines[len(it.lines)-1]), ";") {
				lines[len(lines)-1] += ";" // the user's style
			}
			out = append(out, lines...)
			changed = append(changed, it.norm()+" → "+g.norm())
		}
		if it.key == "UID" || it.key == "NAME" {
			lastMapping = len(out)
		}
	}
	for i, g := range genItems {
		if g.key == "" || used[g.key] {
			continue
		}
		if g.key != "UID" && g.key != "NAME" {
			ep := strings.TrimPrefix(g.key, "supportedAttributes of ")
			if endpoints[ep] {
				left = append(left, fmt.Sprintf("%s: %s", ep, g.norm()))
			}
			continue
		}
		// A mapping the block lacks goes after the others, with the
		// comment that says why, or else before the block's closing brace.
		at, indent := lastMapping, ""
		if at < 0 {
			at = len(out)
			if last := out[len(out)-1]; strings.TrimSpace(last) == "}" {
				at, indent = len(out)-1, indentOf(last)+"    "
			} else {
				indent = indentOf(out[0])
			}
		} else {
			indent = indentOf(out[at-1])
		}
		start := i
		for start > 0 && genItems[start-1].comment && !markerRE.MatchString(genItems[start-1].lines[0]) {
			start--
		}
		var add []string
		for _, c := range genItems[start : i+1] {
			add = append(add, reindent(c, indent)...)
		}
		out = append(out[:at], append(add, out[at:]...)...)
		lastMapping = at + len(add)
		changed = append(changed, "added "+g.norm())
	}
	for _, g := range genItems {
		if m := endpointRE.FindStringSubmatch(g.lines[0]); m != nil && !g.comment {
			if ep := "endpoint(" + strings.Join(strings.Fields(m[1]), " ") + ")"; !endpoints[ep] {
				left = append(left, ep)
			}
		}
	}
	return strings.Join(out, "\n"), changed, left
}

// mergeFresh is a regeneration from scratch over hand-written code: the
// generated block, with the user's comments (and commented-out code) kept
// where they stood among the lines that stay.
func mergeFresh(cur, gen string, yaml bool) string {
	c, g := strings.Split(cur, "\n"), strings.Split(gen, "\n")
	comment := make([]bool, len(c))
	inBlock := false
	for i, l := range c {
		t := strings.TrimSpace(l)
		comment[i] = isCommentLine(t, yaml, &inBlock) && !markerRE.MatchString(l)
	}
	// lcs[i][j] is the length of the longest common subsequence of
	// c[i:] and g[j:], lines compared without their indentation.
	lcs := make([][]int, len(c)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(g)+1)
	}
	for i := len(c) - 1; i >= 0; i-- {
		for j := len(g) - 1; j >= 0; j-- {
			if strings.TrimSpace(c[i]) == strings.TrimSpace(g[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(c) || j < len(g) {
		switch {
		case i < len(c) && j < len(g) && strings.TrimSpace(c[i]) == strings.TrimSpace(g[j]):
			out = append(out, g[j])
			i, j = i+1, j+1
		case i < len(c) && (j == len(g) || lcs[i+1][j] >= lcs[i][j+1]):
			// A line only the user's block has: kept if it is a comment.
			if comment[i] {
				out = append(out, c[i])
			}
			i++
		default:
			out = append(out, g[j])
			j++
		}
	}
	return strings.Join(out, "\n")
}

var quotedRE = regexp.MustCompile(`"([^"\\]*)"`)

// sameStatement reports whether two statements say the same: the same
// text, a mapping with the same strings (with or without parentheses), or
// supportedAttributes with the same names in any order.
func sameStatement(a, b item) bool {
	if a.norm() == b.norm() {
		return true
	}
	names := func(it item) []string {
		var out []string
		for _, m := range quotedRE.FindAllStringSubmatch(it.norm(), -1) {
			out = append(out, m[1])
		}
		return out
	}
	switch {
	case a.key == "UID" || a.key == "NAME":
		// connIdAttribute("UID", "id") and connIdAttribute "UID", "id"
		return !strings.Contains(a.lines[0], ":") && slices.Equal(names(a), names(b))
	case strings.HasPrefix(a.key, "supportedAttributes"):
		x, y := names(a), names(b)
		sort.Strings(x)
		sort.Strings(y)
		return slices.Equal(x, y)
	}
	return false
}
