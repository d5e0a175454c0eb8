package generate

import (
	"context"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
)

// A description under /api/v3 whose user has a create-only status, a
// password only the user themself changes, and a lock sub-resource.
const lockDoc = `openapi: 3.0.3
info: {title: t, version: "3"}
servers:
  - url: https://projects.example.com/api/v3
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      responses:
        "200":
          description: A user.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/UserModel"}
    patch:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/UserPatchModel"}
      responses: {"204": {description: Changed.}}
  /users/{id}/lock:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    post:
      responses: {"204": {description: Locked.}}
    delete:
      responses: {"204": {description: Unlocked.}}
components:
  schemas:
    UserModel:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        login: {type: string}
        email: {type: string, format: email}
        status:
          type: string
          enum: [active, locked]
          description: The status; it can only be set on creation, then through lock and unlock.
    UserPatchModel:
      type: object
      properties:
        login: {type: string}
        email: {type: string, format: email}
        status: {type: string}
        password:
          type: string
          writeOnly: true
          description: Can only be changed by the user themself.
`

const lockSchema = `objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("status") { jsonType "string" }
    attribute("password") { jsonType "string"; readable false }
}
`

// TestDocumentedUpdateAsScriptsWrite: the update generated from a
// description under /api/v3 is written relative to the base address the
// workspace's scripts use (they write users/{id}), without the fields
// the description's words keep from updates although the update body
// lists them (status only on creation, password only by the user
// themself), with the lock sub-resource as the status transitions.
func TestDocumentedUpdateAsScriptsWrite(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"docs/openapi.yaml":         lockDoc,
		"User.native.schema.groovy": lockSchema,
		"User.connid.schema.groovy": "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n",
		"User.search.groovy": `objectClass("User") {
    search {
        endpoint("users/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }
    }
}
`,
	})
	up := gen(t, load(t, dir), "User", KindUpdate, true)
	for _, want := range []string{
		`endpoint(PATCH, "users/{id}")`,
		`supportedAttributes "login", "email"` + "\n",
		`endpoint(POST, "users/{id}/lock")`,
		`value "locked"` + "\n                transition \"active\", \"locked\"",
		`endpoint(DELETE, "users/{id}/lock")`,
		`value "active"` + "\n                transition \"locked\", \"active\"",
	} {
		if !strings.Contains(up.Code, want) {
			t.Errorf("want %q in\n%s", want, up.Code)
		}
	}
	if strings.Contains(up.Code, "/api/v3") {
		t.Errorf("the base path is the base address's, and needs no word:\n%s", up.Code)
	}
	noErrors(t, writeAndCheck(t, dir, up))
}

// TestDocumentedUpdateWithoutScripts: with no script path to learn from,
// documented paths stay relative to the description's base, as written.
func TestDocumentedUpdateWithoutScripts(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"docs/openapi.yaml":         lockDoc,
		"User.native.schema.groovy": lockSchema,
	})
	up := gen(t, load(t, dir), "User", KindUpdate, true)
	if !strings.Contains(up.Code, `endpoint(PATCH, "/users/{id}")`) || !strings.Contains(up.Code, `endpoint(POST, "/users/{id}/lock")`) {
		t.Errorf("paths as documented, below the base:\n%s", up.Code)
	}
}

// TestDocumentedUpdateFromPage: a page writes its API's prefix in its
// paths (PUT /api/users/:id); scripts that leave it to the base address
// make the generated update leave it too, and say so.
func TestDocumentedUpdateFromPage(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"docs/users.md": "# User API\n\n## Get a user\n\n    GET /api/users/:id\n\n```json\n" +
			`{"id": 1, "login": "admin", "email": "admin@example.com"}` + "\n```\n\n## Update a user\n\n    PUT /api/users/:id\n\n```json\n" +
			`{"email": "new@example.com"}` + "\n```\n",
		"User.native.schema.groovy": `objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
}
`,
		"User.search.groovy": `objectClass("User") {
    search {
        endpoint("users") { }
    }
}
`,
	})
	up := gen(t, load(t, dir), "User", KindUpdate, true)
	for _, want := range []string{
		`endpoint(PUT, "users/{id}")`,
		"documented as PUT /api/users/{id}; the path is relative to the connector's base",
	} {
		if !strings.Contains(up.Code, want) {
			t.Errorf("want %q in\n%s", want, up.Code)
		}
	}
	noErrors(t, writeAndCheck(t, dir, up))
}

// TestAssistedUpdateAsScriptsWrite: a documented endpoint the assistant
// picks is written as the scripts write their paths too.
func TestAssistedUpdateAsScriptsWrite(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"docs/openapi.yaml":         lockDoc,
		"User.native.schema.groovy": lockSchema,
		"User.search.groovy":        "objectClass(\"User\") {\n    search {\n        endpoint(\"users\") { }\n    }\n}\n",
	})
	// An assistant that answers with the documented path.
	assist := pickUpdate{generate: PlannedEndpoint{Method: "PATCH", Path: "/users/{id}", Supported: []string{"login", "email"}}}
	res, err := Generate(context.Background(), Request{Model: load(t, dir), Class: "User", Kind: KindUpdate, Fresh: true, Assist: assist, AskAssist: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Code, `endpoint(PATCH, "users/{id}")`) {
		t.Errorf("the assistant's documented path as the scripts write theirs:\n%s", res.Code)
	}
}

// pickUpdate is an Assistant that picks one update endpoint.
type pickUpdate struct{ generate PlannedEndpoint }

func (p pickUpdate) ReviseConnID(ctx context.Context, c *analysis.Class, in *ConnIDPlan, docs []DocChunk, progress analysis.Progress) (*ConnIDPlan, []string, error) {
	return in, nil, nil
}

func (p pickUpdate) ReviseUpdate(ctx context.Context, c *analysis.Class, in *UpdatePlan, docs []DocChunk, progress analysis.Progress) (*UpdatePlan, []string, error) {
	return &UpdatePlan{Class: c.Name, Endpoints: []PlannedEndpoint{p.generate}, From: "test assistant"}, nil, nil
}
