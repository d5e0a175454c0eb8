package analysis

import (
	"strings"
)

// Paths of documented endpoints as a connector's scripts write them.
//
// The framework sends a script's endpoint path relative to the base
// address the connector is configured with. A description's paths are
// relative to its own base (servers[0].url, Swagger's basePath), and a
// page writes whatever prefix its API has (/api/v4/users/:id). Copying a
// documented path into a script as written can call the wrong address:
// a generated PATCH /api/v3/users/{id} beside scripts that say
// users/{id} would call /api/v3/api/v3/users/{id}. The scripts of the
// workspace show which prefix the base address already holds: the
// documented paths they match tell what to drop and what to add.

// pathRule rewrites documented paths: drop is the prefix of the full
// documented path (base and path) that the scripts leave to the base
// address, add the prefix they write in its place; both are slash-joined
// literal segments, "" for none.
type pathRule struct {
	drop, add string
}

// pathStyle is how a unit's scripts write their paths.
type pathStyle struct {
	rules map[pathRule]int // votes: how many script paths each rule explains
	// slashes and bare count the script paths that start with a slash
	// and those that do not.
	slashes, bare int
}

// ScriptPath writes a documented endpoint's path as the unit's scripts
// write theirs: relative to the base address their paths show (a prefix
// of the documented path they do not write is dropped, one they write
// and the document does not is added), with or without a leading slash
// as most of them. Without a script path that matches a documented one,
// the path stays relative to the document's base (the base address is
// taken to be the document's server), written as documented.
func (u *Unit) ScriptPath(e DocEndpoint) string {
	if u == nil || u.paths == nil {
		return u.pathStyle().rewrite(e.Base, e.Path)
	}
	return u.paths().rewrite(e.Base, e.Path)
}

// pathStyle learns the unit's path style from its script and documented
// endpoints.
func (u *Unit) pathStyle() pathStyle {
	st := pathStyle{rules: map[pathRule]int{}}
	if u == nil {
		return st
	}
	// The documented paths in full, once each, and the collections they
	// name (/api/users of /api/users/{id}): scripts search where a page
	// documents only the item.
	seen := map[string]bool{}
	var documented [][]string
	for _, c := range u.Classes {
		for _, e := range c.DocEndpoints {
			segs := splitPath(joinBase(e.Base, e.Path))
			for n := len(segs); n > 0; n-- {
				if n < len(segs) && !(isPlaceholder(segs[n]) && !isPlaceholder(segs[n-1])) {
					continue
				}
				if key := strings.Join(segs[:n], "/"); !seen[key] {
					seen[key] = true
					documented = append(documented, segs[:n])
				}
			}
		}
	}
	scripts := map[string]bool{}
	for _, c := range u.Classes {
		for _, e := range c.Endpoints {
			if e.Path == "" || scripts[e.Path] {
				continue
			}
			scripts[e.Path] = true
			if strings.HasPrefix(e.Path, "/") {
				st.slashes++
			} else {
				st.bare++
			}
			if r, ok := bestMatch(splitPath(e.Path), documented); ok {
				st.rules[r]++
			}
		}
	}
	return st
}

// bestMatch finds the rule that turns one of the documented paths into
// the script path: the longest common tail, starting with a literal
// segment, whose heads hold no placeholder; of equal tails, the one that
// changes fewest segments (users/{id} is /api/users/{id} rather than
// /api/admin/users/{id}).
func bestMatch(script []string, documented [][]string) (pathRule, bool) {
	var best pathRule
	bestTail, bestChange := 0, 0
	for _, doc := range documented {
		n := commonTail(script, doc)
		if n == 0 || n < bestTail {
			continue
		}
		dropSegs, addSegs := doc[:len(doc)-n], script[:len(script)-n]
		change := len(dropSegs) + len(addSegs)
		if n == bestTail && change >= bestChange || hasPlaceholder(dropSegs) || hasPlaceholder(addSegs) {
			continue
		}
		best, bestTail, bestChange = pathRule{drop: strings.Join(dropSegs, "/"), add: strings.Join(addSegs, "/")}, n, change
	}
	return best, bestTail > 0
}

// commonTail is the number of trailing segments two paths share, as long
// as that tail starts with a literal segment (a shared {id} alone says
// nothing). Placeholders match whatever they are named; literal
// segments match ignoring case.
func commonTail(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && sameSegment(a[len(a)-1-n], b[len(b)-1-n]) {
		n++
	}
	for n > 0 && isPlaceholder(a[len(a)-n]) {
		n--
	}
	return n
}

func sameSegment(a, b string) bool {
	if isPlaceholder(a) || isPlaceholder(b) {
		return isPlaceholder(a) && isPlaceholder(b)
	}
	return strings.EqualFold(a, b)
}

func isPlaceholder(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

func hasPlaceholder(segs []string) bool {
	for _, s := range segs {
		if isPlaceholder(s) {
			return true
		}
	}
	return false
}

// rewrite writes a documented path (relative to base) as the scripts
// would: by the best-voted rule whose dropped prefix the path has, else
// relative to the document's base.
func (st pathStyle) rewrite(base, path string) string {
	full := splitPath(joinBase(base, path))
	var rule pathRule
	votes := 0
	for r, v := range st.rules {
		if !hasPrefix(full, r.drop) {
			continue
		}
		// More votes win; on a tie the rule that changes less, then the
		// first in text order, so that the choice never depends on map
		// order.
		if v > votes || v == votes && (len(r.drop)+len(r.add) < len(rule.drop)+len(rule.add) ||
			len(r.drop)+len(r.add) == len(rule.drop)+len(rule.add) && r.drop+"\x00"+r.add < rule.drop+"\x00"+rule.add) {
			rule, votes = r, v
		}
	}
	var segs []string
	if votes == 0 {
		// Nothing to learn from: relative to the document's base.
		segs = splitPath(path)
	} else {
		segs = append(splitPath(rule.add), full[len(splitPath(rule.drop)):]...)
	}
	out := strings.Join(segs, "/")
	slash := strings.HasPrefix(path, "/") || path == ""
	switch {
	case st.slashes > st.bare:
		slash = true
	case st.bare > st.slashes:
		slash = false
	}
	if slash {
		out = "/" + out
	}
	return out
}

func hasPrefix(segs []string, prefix string) bool {
	p := splitPath(prefix)
	if len(p) > len(segs) {
		return false
	}
	for i := range p {
		if !strings.EqualFold(segs[i], p[i]) {
			return false
		}
	}
	return true
}

// joinBase writes a path in full, below its document's base path.
func joinBase(base, path string) string {
	base = strings.TrimRight(base, "/")
	if base == "" {
		return path
	}
	return base + "/" + strings.TrimLeft(path, "/")
}

// splitPath splits a path into its segments, ignoring leading, trailing
// and doubled slashes.
func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
