package generate

import (
	"strings"
	"testing"
)

// pagingAPI lists four classes, each paged its own way: page and limit
// (an array), offset and count (items under "data.items"), a cursor,
// and Link headers.
const pagingAPI = `openapi: 3.0.3
info: {title: paging, version: "1"}
servers: [{url: "https://example.com/api/v3"}]
paths:
  /users:
    get:
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: email, in: query, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200": {description: users, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one user, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
  /groups:
    get:
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: count, in: query, schema: {type: integer}}
      responses:
        "200":
          description: groups
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties:
                      items: {type: array, items: {$ref: "#/components/schemas/Group"}}
  /groups/{groupId}:
    get:
      parameters: [{name: groupId, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one group, content: {application/json: {schema: {$ref: "#/components/schemas/Group"}}}}
  /roles:
    get:
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
        - {name: page_size, in: query, schema: {type: integer}}
      responses:
        "200": {description: roles, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Role"}}}}}
  /roles/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one role, content: {application/json: {schema: {$ref: "#/components/schemas/Role"}}}}
  /projects:
    get:
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: projects
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Project"}}}}
  /projects/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one project, content: {application/json: {schema: {$ref: "#/components/schemas/Project"}}}}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: string, readOnly: true}
        username: {type: string}
        email: {type: string}
    Group:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Role:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Project:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
`

func TestSearchPagingStyles(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": pagingAPI})
	for _, class := range []string{"User", "Group", "Role", "Project"} {
		for _, k := range []Kind{KindNative, KindConnID} {
			res := gen(t, load(t, dir), class, k, false)
			m := load(t, dir)
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		class string
		want  []string
	}{
		{"User", []string{
			`endpoint("/users") {` + "\n            responseFormat JSON_ARRAY",
			`request.queryParameter("limit", paging.pageSize)` + "\n                        .queryParameter(\"page\", paging.pageOffset)",
			"emptyFilterSupported true",
			`supportedFilter(attribute("email").eq().anySingleValue()) {` + "\n                request.queryParameter(\"email\", value)",
			`supportedFilter(attribute("username").contains().anySingleValue()) {` + "\n                request.queryParameter(\"q\", value)",
			`endpoint("/users/{id}") {` + "\n            singleResult()\n            supportedFilter(attribute(\"id\").eq().anySingleValue()) {\n                request.pathParameter(\"id\", value)",
		}},
		{"Group", []string{
			`return response.body().get("data").get("items")`,
			`request.queryParameter("count", paging.pageSize)` + "\n                        .queryParameter(\"offset\", (paging.pageOffset - 1) * paging.pageSize)",
			`request.pathParameter("groupId", value)`,
		}},
		{"Role", []string{
			"pages with a cursor (cursor)",
			`request.queryParameter("page_size", paging.pageSize)` + "\n            }",
		}},
		{"Project", []string{
			"links to the next page in its Link header",
			`request.queryParameter("per_page", paging.pageSize)` + "\n            }",
		}},
	} {
		res := gen(t, load(t, dir), tc.class, KindSearch, false)
		for _, w := range tc.want {
			if !strings.Contains(res.Code, w) {
				t.Errorf("search of %s lacks\n%s\nin\n%s", tc.class, w, res.Code)
			}
		}
		if res.Changes[0].Path != tc.class+".search.groovy" {
			t.Errorf("search of %s goes to %s", tc.class, res.Changes[0].Path)
		}
		noErrors(t, writeAndCheck(t, dir, res))
	}
}

// TestSearchNeedsSchema: no declared attributes, no search (the filters'
// attribute() fails on undeclared names).
func TestSearchNeedsSchema(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": pagingAPI})
	_, err := Generate(t.Context(), Request{Model: load(t, dir), Class: "User", Kind: KindSearch})
	if err == nil || !strings.Contains(err.Error(), "generate native --class User") {
		t.Errorf("err = %v", err)
	}
}

// uidAPI lists users twice: /admin/users, plainer, and /users/search,
// whose uid parameter is documented as the id. The framework reads an
// object back by a filter on its UID, so the search is /users/search.
const uidAPI = `swagger: "2.0"
info: {title: forge, version: "1"}
basePath: /api/v1
paths:
  /admin/users:
    get:
      parameters:
        - {name: page, in: query, type: integer}
        - {name: limit, in: query, type: integer}
      responses:
        "200": {description: users, schema: {type: array, items: {$ref: "#/definitions/User"}}}
  /users/search:
    get:
      parameters:
        - {name: q, in: query, type: string, description: keyword}
        - {name: uid, in: query, type: integer, description: ID of the user to search for}
        - {name: page, in: query, type: integer}
        - {name: limit, in: query, type: integer}
      responses:
        "200":
          description: found
          schema:
            type: object
            properties:
              data: {type: array, items: {$ref: "#/definitions/User"}}
              ok: {type: boolean}
  /users/{username}:
    get:
      parameters: [{name: username, in: path, required: true, type: string}]
      responses:
        "200": {description: one, schema: {$ref: "#/definitions/User"}}
definitions:
  User:
    type: object
    properties:
      id: {type: integer, format: int64, readOnly: true}
      login: {type: string, description: "the user's username"}
`

func TestSearchReadsBackByUID(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": uidAPI})
	res := gen(t, load(t, dir), "User", KindNative, false)
	if err := WriteFiles(res, load(t, dir).Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	search := gen(t, load(t, dir), "User", KindSearch, false)
	for _, w := range []string{
		`endpoint("/users/search") {` + "\n            objectExtractor {\n                return response.body().get(\"data\")",
		`supportedFilter(attribute("id").eq().anySingleValue()) {` + "\n                request.queryParameter(\"uid\", value)",
		`supportedFilter(attribute("login").contains().anySingleValue()) {` + "\n                request.queryParameter(\"q\", value)",
		// The placeholder takes login, which the description names.
		`endpoint("/users/{username}") {` + "\n            singleResult()\n            supportedFilter(attribute(\"login\").eq().anySingleValue()) {\n                request.pathParameter(\"username\", value)",
	} {
		if !strings.Contains(search.Code, w) {
			t.Errorf("search lacks\n%s\nin\n%s", w, search.Code)
		}
	}
	for _, p := range writeAndCheck(t, dir, search) {
		if p.Code != "missing-uid" && p.Code != "missing-name" {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}
	// The mapping that follows keeps id as the UID: the search reads
	// users back by it.
	connid := gen(t, load(t, dir), "User", KindConnID, false)
	if !strings.Contains(connid.Code, `connIdAttribute("UID", "id")`) || !strings.Contains(connid.Code, `connIdAttribute("NAME", "login")`) {
		t.Errorf("connid:\n%s", connid.Code)
	}
	noErrors(t, writeAndCheck(t, dir, connid))
}
