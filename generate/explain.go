package generate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// maxNamed is how many files an explanation names before it counts the
// rest.
const maxNamed = 8

// looked says where connls looked for a class and what it found: the
// files it read, those it skipped and why, and the evidence for kind. A
// "nothing to generate" message ends with it, so that the user knows
// what to add and where.
func looked(m *analysis.Model, u *analysis.Unit, c *analysis.Class, kind Kind) string {
	rel := func(abs string) string { return relPath(u.Root, abs) }
	var read []string
	seen := map[string]bool{}
	add := func(abs string) {
		if !seen[abs] {
			seen[abs] = true
			read = append(read, rel(abs))
		}
	}
	for _, b := range append(append([]*dsl.ClassBlock(nil), c.Blocks...), c.OpBlocks...) {
		add(b.Script.File.Abs)
	}
	for _, d := range u.Docs {
		if f := u.DocFiles[d]; f != nil {
			add(f.Abs)
		}
	}
	var skipped []string
	// Documents elsewhere in the workspace that describe no unit of
	// this one, and documents in formats connls does not read.
	// Only those in the connector's module: the rest of a repository
	// describes other connectors.
	module := u.Module()
	for _, f := range m.Snapshot.Files() {
		if !f.Kind.IsDoc() || seen[f.Abs] || !workspace.Within(module, f.Abs) {
			continue
		}
		skipped = append(skipped, rel(f.Abs)+" (not about the connector in "+rel(u.Dir)+")")
	}
	for _, sk := range m.Snapshot.Skipped {
		if sk.Format != "" && workspace.Within(module, sk.Abs) {
			skipped = append(skipped, fmt.Sprintf("%s (%s)", rel(sk.Abs), sk.Reason))
		}
	}
	msg := "read " + names(read)
	if len(read) == 0 {
		msg = "read no script or document about " + c.Name
	}
	if len(skipped) > 0 {
		sort.Strings(skipped)
		msg += "; skipped " + names(skipped)
	}
	if kind == KindUpdate {
		msg += "; " + updateEvidence(c)
	}
	return msg
}

// updateEvidence says which endpoints of a class connls found, and that
// none updates it.
func updateEvidence(c *analysis.Class) string {
	var found []string
	have := map[string]bool{}
	note := func(s string) {
		if !have[s] {
			have[s] = true
			found = append(found, s)
		}
	}
	for _, e := range c.Endpoints {
		note(fmt.Sprintf("%s %s (%s script)", e.Method, e.Path, e.Operation))
	}
	for _, e := range c.DocEndpoints {
		note(fmt.Sprintf("%s %s (documented)", e.Method, e.Path))
	}
	msg := fmt.Sprintf("no PATCH or PUT endpoint for %s", c.Name)
	if len(found) > 0 {
		msg = "found " + names(found) + ", but " + msg
	}
	return msg
}

// names lists a few names and counts the rest.
func names(list []string) string {
	if len(list) <= maxNamed {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:maxNamed], ", ") + fmt.Sprintf(" and %d more", len(list)-maxNamed)
}
