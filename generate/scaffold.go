package generate

import (
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
)

// ScaffoldKinds are the per-class generators a new connector runs, in
// order: the schema, the search (which the mapping takes as evidence),
// the mapping, then the operations that use it. Generating them again in
// this order changes nothing.
var ScaffoldKinds = []Kind{KindNative, KindSearch, KindConnID, KindCreate, KindUpdate, KindDelete}

// ScaffoldSection is the manifest section that lists a kind's scripts.
func ScaffoldSection(k Kind) string {
	switch k {
	case KindNative, KindConnID:
		return "schema"
	case KindAuthorization:
		return "authorization"
	}
	return "operation"
}

// CoreClasses are the classes of a unit a connector would start with:
// the documented resources the API both lists (a GET without a parent
// placeholder, not the current user's) and reads one by one.
func CoreClasses(u *analysis.Unit) []string {
	var out []string
	for _, c := range u.Classes {
		if c.Scim || c.Embedded || !isResource(c) {
			continue
		}
		list, get := false, false
		for _, e := range c.DocEndpoints {
			switch {
			case e.Method == "GET" && e.Operation == "search" && len(e.PathParams) == 0 && !mine(e.Path):
				list = true
			case e.Method == "GET" && e.Operation == "get" && len(e.PathParams) == 1:
				get = true
			}
		}
		if list && get {
			out = append(out, c.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ScaffoldFileSection is the manifest section of a file a generation of
// kind k created: a relationship writes a schema script and a search
// script at once.
func ScaffoldFileSection(k Kind, path string) string {
	if k == KindRelations {
		if strings.HasSuffix(path, ".schema.groovy") {
			return "schema"
		}
		return "operation"
	}
	return ScaffoldSection(k)
}

// ScaffoldRelations are the relationships a new connector starts with:
// those between two of its classes, by name.
func ScaffoldRelations(u *analysis.Unit, classes []string) []string {
	have := map[string]bool{}
	for _, c := range classes {
		have[c] = true
	}
	var out []string
	for _, r := range FindRelations(u) {
		if have[r.Subject] && have[r.Object] {
			out = append(out, r.Name)
		}
	}
	return out
}
