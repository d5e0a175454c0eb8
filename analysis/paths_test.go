package analysis

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The description of the tests below: users under /api/v3 (servers), a
// lock sub-resource, groups, and a self endpoint.
const basePathDoc = `-- docs/openapi.yaml --
openapi: 3.0.3
info: {title: t, version: "3"}
servers:
  - url: https://example.com/api/v3/
paths:
  /users:
    get:
      responses:
        "200":
          description: users
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/User"}}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: a user
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
    patch:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses: {"200": {description: ok}}
  /groups/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: a group
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Group"}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        login: {type: string}
    Group:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
`

// docPaths renders the documented endpoints of a unit's classes as the
// scripts would write them, sorted: "PATCH /users/{id} → users/{id}".
func docPaths(u *Unit) string {
	var out []string
	for _, c := range u.Classes {
		for _, e := range c.DocEndpoints {
			out = append(out, fmt.Sprintf("%s %s → %s", e.Method, e.Path, u.ScriptPath(e)))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestScriptPath: documented paths are written relative to the base
// address the workspace's scripts use, in their leading-slash style.
func TestScriptPath(t *testing.T) {
	for _, tc := range []struct {
		name, scripts, want string
	}{{
		// No script to learn from: relative to the document's base
		// (the connector's base address is the server), as documented.
		name: "no scripts",
		want: `GET /groups/{id} → /groups/{id}
GET /users → /users
GET /users/{id} → /users/{id}
PATCH /users/{id} → /users/{id}`,
	}, {
		// The scripts leave /api/v3 to the base address and write no
		// leading slash: so do the generated paths, of every class.
		name: "relative, bare",
		scripts: `-- User.search.groovy --
objectClass("User") {
    search {
        endpoint("users") { }
    }
}
`,
		want: `GET /groups/{id} → groups/{id}
GET /users → users
GET /users/{id} → users/{id}
PATCH /users/{id} → users/{id}`,
	}, {
		// The scripts write the base path themselves (the base address
		// is the host): it is kept, with their slash.
		name: "base written by the scripts",
		scripts: `-- Group.search.groovy --
objectClass("Group") {
    search {
        endpoint("/api/v3/groups/{id}") { singleResult() }
    }
}
`,
		want: `GET /groups/{id} → /api/v3/groups/{id}
GET /users → /api/v3/users
GET /users/{id} → /api/v3/users/{id}
PATCH /users/{id} → /api/v3/users/{id}`,
	}, {
		// Scripts that match no documented path say only their style.
		name: "unrelated scripts",
		scripts: `-- Other.search.groovy --
objectClass("Other") {
    search {
        endpoint("others") { }
    }
}
`,
		want: `GET /groups/{id} → groups/{id}
GET /users → users
GET /users/{id} → users/{id}
PATCH /users/{id} → users/{id}`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m := loadArchive(t, basePathDoc+tc.scripts)
			if got := docPaths(onlyUnit(t, m)); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestScriptPathPage: a page writes its API's prefix in every path
// (/api/users/:id); scripts that leave it to the base address make the
// generated paths leave it too.
func TestScriptPathPage(t *testing.T) {
	const page = `-- docs/users.md --
# Users API

## Get a user

    GET /api/users/:id

` + "```json" + `
{"id": 1, "login": "admin", "email": "admin@example.com"}
` + "```" + `

## Update a user

    PUT /api/users/:id

## Delete a user

    DELETE /api/users/:id
`
	m := loadArchive(t, page)
	if got, want := docPaths(onlyUnit(t, m)), `DELETE /api/users/{id} → /api/users/{id}
GET /api/users/{id} → /api/users/{id}
PUT /api/users/{id} → /api/users/{id}`; got != want {
		t.Errorf("without scripts, as documented: got\n%s\nwant\n%s", got, want)
	}
	m = loadArchive(t, page+`-- User.search.groovy --
objectClass("User") {
    search {
        endpoint("/users/{id}") { singleResult() }
    }
}
`)
	if got, want := docPaths(onlyUnit(t, m)), `DELETE /api/users/{id} → /users/{id}
GET /api/users/{id} → /users/{id}
PUT /api/users/{id} → /users/{id}`; got != want {
		t.Errorf("scripts without /api: got\n%s\nwant\n%s", got, want)
	}
	// The page documents only the item; the scripts' search of the
	// collection is enough to tell.
	m = loadArchive(t, page+`-- User.search.groovy --
objectClass("User") {
    search {
        endpoint("users") { }
    }
}
`)
	if got, want := docPaths(onlyUnit(t, m)), `DELETE /api/users/{id} → users/{id}
GET /api/users/{id} → users/{id}
PUT /api/users/{id} → users/{id}`; got != want {
		t.Errorf("scripts searching users: got\n%s\nwant\n%s", got, want)
	}
}

// TestPathRules: the rule a script path votes for is the longest tail it
// shares with a documented path, the one that changes least on a tie;
// heads with placeholders are no rule.
func TestPathRules(t *testing.T) {
	documented := [][]string{
		splitPath("/api/v3/admin/users/{id}"),
		splitPath("/api/v3/users"),
		splitPath("/api/v3/users/{id}"),
		splitPath("/api/v3/users/{id}/groups"),
	}
	for _, tc := range []struct {
		script string
		want   string
	}{
		{"users/{username}", "drop api/v3 add "},
		{"/v3/users", "drop api add "},
		{"rest/admin/users/{id}", "drop api/v3 add rest"},
		{"groups", "none"},   // /users/{id} would be dropped: a placeholder
		{"{id}", "none"},     // a tail of placeholders says nothing
		{"projects", "none"}, // matches nothing
	} {
		got := "none"
		if r, ok := bestMatch(splitPath(tc.script), documented); ok {
			got = "drop " + r.drop + " add " + r.add
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.script, got, tc.want)
		}
	}
}
