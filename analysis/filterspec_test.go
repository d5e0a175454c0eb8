package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/connls/connls/analysis/dsl"
)

// TestFilterSpecsAndTransitions: the reader keeps what generators need
// from search filters (operator, the parameter the closure fills) and
// from transitions (their literal values).
func TestFilterSpecsAndTransitions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Org.native.schema.groovy", `objectClass("Org") {
    attribute("id") { jsonType "integer" }
    attribute("name") { jsonType "string" }
    attribute("status") { jsonType "string" }
}
`)
	write("Org.search.groovy", `objectClass("Org") {
    search {
        endpoint("orgs") {
            supportedFilter(attribute("name").contains().anySingleValue()) {
                request.queryParameter("q", value)
            }
        }
        endpoint("orgs/{org}") {
            singleResult()
            supportedFilter(attribute("name").eq().anySingleValue()) {
                request.pathParameter("org", value)
            }
        }
    }
}
`)
	write("Org.update.op.groovy", `objectClass("Org") {
    update {
        endpoint(POST, "orgs/{id}/lock") {
            supportedAttribute("status") {
                transition "active", "locked"
                transition someVar, "x"
            }
        }
    }
}
`)
	m := loadDir(t, dir)
	c := onlyUnit(t, m).Class("Org")
	var got []dsl.FilterSpec
	var pairs [][2]string
	transitions := 0
	for _, e := range c.Endpoints {
		for _, fs := range e.FilterSpecs {
			got = append(got, *fs)
		}
		for _, sa := range e.Supported {
			pairs = append(pairs, sa.TransitionPairs...)
			transitions += sa.Transitions
		}
	}
	if len(got) != 2 {
		t.Fatalf("filter specs: %+v", got)
	}
	if g := got[0]; g.Attr.Name != "name" || g.Op != "contains" || g.QueryParam != "q" || g.PathParam != "" {
		t.Errorf("collection filter: %+v", g)
	}
	if g := got[1]; g.Attr.Name != "name" || g.Op != "eq" || g.PathParam != "org" || g.QueryParam != "" {
		t.Errorf("single-result filter: %+v", g)
	}
	if transitions != 2 || len(pairs) != 1 || pairs[0] != [2]string{`"active"`, `"locked"`} {
		t.Errorf("transitions %d, pairs %q", transitions, pairs)
	}
}
