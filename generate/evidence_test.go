package generate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis/dsl"
)

// workspaceOf writes files into a new workspace folder.
func workspaceOf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeAndCheck writes a result and returns the findings in the files it
// wrote, after checking that generating again changes nothing.
func writeAndCheck(t *testing.T, dir string, res *Result) []dsl.Problem {
	t.Helper()
	m := load(t, dir)
	if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	again := gen(t, load(t, dir), res.Class, res.Kind, true)
	if again.Code != res.Code || len(again.Changes) != 0 {
		t.Errorf("generating %s of %s again changes it:\n%s\nthen:\n%s", res.Kind, res.Class, res.Code, again.Code)
	}
	files := map[string]bool{}
	for _, c := range res.Changes {
		files[c.Abs] = true
	}
	var out []dsl.Problem
	for _, p := range load(t, dir).Diagnostics() {
		if files[p.Abs] {
			out = append(out, p)
		}
	}
	return out
}

func noErrors(t *testing.T, problems []dsl.Problem) {
	t.Helper()
	for _, p := range problems {
		if p.Severity == dsl.SevError {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}
}

// The forge pattern: organizations are fetched by name through a
// single-result search, and no search filters on id.
const orgSchema = `objectClass("Organization") {
    attribute("id") { jsonType "integer"; openApiFormat "int64" }
    attribute("name") { jsonType "string" }
    attribute("username") { jsonType "string" }
    attribute("description") { jsonType "string" }
}
`

const orgSearch = `objectClass("Organization") {
    search {
        endpoint("orgs") {
            responseFormat JSON_ARRAY
        }
        endpoint("orgs/{org}") {
            singleResult()
            supportedFilter(attribute("name").eq().anySingleValue()) {
                request.pathParameter("org", value)
            }
        }
    }
}
`

func TestEvidenceSingleResultSearchKeysUID(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"Organization.native.schema.groovy": orgSchema,
		"Organization.search.groovy":        orgSearch,
	})
	res := gen(t, load(t, dir), "Organization", KindConnID, true)
	for _, want := range []string{
		`connIdAttribute("UID", "name")`,
		`connIdAttribute("NAME", "username")`,
		"// UID name: single-result search orgs/{org} filters on it",
		"// connls:ignore uid-mutable", // people choose the name: a creatable UID
	} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("want %q in\n%s", want, res.Code)
		}
	}
	if strings.Contains(res.Code, "creatable false") {
		t.Errorf("a name people choose stays creatable:\n%s", res.Code)
	}
	if !strings.Contains(res.Title, "UID name (single-result search orgs/{org} filters on it)") {
		t.Errorf("title: %s", res.Title)
	}
	noErrors(t, writeAndCheck(t, dir, res))

	// With a search by id as well, id stays the UID: the framework can
	// read an object back by it.
	dir = workspaceOf(t, map[string]string{
		"Organization.native.schema.groovy": orgSchema,
		"Organization.search.groovy": strings.Replace(orgSearch, `responseFormat JSON_ARRAY`, `responseFormat JSON_ARRAY
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.queryParameter("uid", value)
            }`, 1),
	})
	if res := gen(t, load(t, dir), "Organization", KindConnID, true); !strings.Contains(res.Code, `connIdAttribute("UID", "id")`) {
		t.Errorf("a search filters on id: it stays the UID\n%s", res.Code)
	}
}

func TestEvidenceSearchFiltersPointAtNAME(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"User.native.schema.groovy": `objectClass("User") {
    attribute("id") { jsonType "integer" }
    attribute("login") { jsonType "string"; description "the user's username" }
    attribute("login_name") { jsonType "string"; creatable true; description "the user's authentication sign-in name" }
    attribute("full_name") { jsonType "string" }
}
`,
		"User.search.groovy": `objectClass("User") {
    search {
        endpoint("/users/search") {
            emptyFilterSupported true
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.queryParameter("uid", value)
            }
            supportedFilter(attribute("login").contains().anySingleValue()) {
                request.queryParameter("q", value)
            }
        }
    }
}
`,
	})
	res := gen(t, load(t, dir), "User", KindConnID, true)
	if !strings.Contains(res.Code, `connIdAttribute("NAME", "login")`) || !strings.Contains(res.Code, "search /users/search filters on it (contains)") {
		t.Errorf("the attribute searches filter on is the NAME, over a look-alike:\n%s", res.Code)
	}
	if !strings.Contains(res.Code, `connIdAttribute("UID", "id")`) {
		t.Errorf("UID:\n%s", res.Code)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

func TestEvidenceDocumentedGetByKey(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"Member.native.schema.groovy": `objectClass("Member") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("handle") { jsonType "string"; description "the member's nickname, unique" }
    attribute("email") { jsonType "string" }
}
`,
		"docs/openapi.yaml": `openapi: 3.0.0
info: { title: t, version: "1" }
paths:
  /members/{nickname}:
    get:
      parameters:
        - { name: nickname, in: path, required: true, schema: { type: string }, description: "nickname of the member" }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Member" }
components:
  schemas:
    Member:
      type: object
      properties:
        id: { type: integer, readOnly: true }
        handle: { type: string, description: "the member's nickname, unique" }
        email: { type: string }
`,
	})
	m := load(t, dir)
	_, c := findClass(m, nil, "Member")
	var keys []string
	for _, k := range c.Keys() {
		keys = append(keys, k.Attr.Name+" "+k.How+" "+k.Why())
	}
	if len(keys) != 1 || keys[0] != "handle description GET /members/{nickname} reads one by it" {
		t.Errorf("keys: %q", keys)
	}
	res := gen(t, m, "Member", KindConnID, true)
	if !strings.Contains(res.Code, `connIdAttribute("UID", "id")`) || !strings.Contains(res.Code, "// NAME handle: named handle, GET /members/{nickname} reads one by it") {
		t.Errorf("the get-by-key attribute is evidence (for NAME, since id stays the UID):\n%s", res.Code)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

func TestEvidenceUpdateBlockOfAnotherScript(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"User.native.schema.groovy": `objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string"; required true }
    attribute("email") { jsonType "string" }
    attribute("avatar") { jsonType "string"; creatable false; updateable false }
    attribute("status") { jsonType "string" }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "login")
}
`,
		"User.op.groovy": `objectClass("User") {
    create {
        endpoint(POST, "users") {
            request { contentType APPLICATION_JSON }
        }
    }
    update {
        endpoint(PATCH, "/users/{id}") {
            request { contentType APPLICATION_JSON }
            supportedAttributes "login", "email", "avatar", "id"
        }
        endpoint(POST, "/users/{id}/lock") {
            request { body EMPTY }
            supportedAttribute("status") { transition "active", "locked" }
        }
        endpoint(DELETE, "/users/{id}/lock") {
            supportedAttribute("status") { transition "locked", "active" }
        }
    }
}
`,
	})
	res := gen(t, load(t, dir), "User", KindUpdate, false)
	if res.Status != "created" || !res.Changes[0].New || filepath.Base(res.Changes[0].Path) != "User.update.op.groovy" {
		t.Fatalf("status %s, changes %v", res.Status, res.Changes)
	}
	for _, want := range []string{
		`endpoint(PATCH, "/users/{id}")`,
		`supportedAttributes "login", "email"`,
		"// dropped avatar: not updateable",
		"// dropped id: the UID",
		`endpoint(POST, "/users/{id}/lock")`,
		`value "locked"` + "\n                transition \"active\", \"locked\"",
		`endpoint(DELETE, "/users/{id}/lock")`,
		`value "active"` + "\n                transition \"locked\", \"active\"",
		"as declared in User.op.groovy:",
	} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("want %q in\n%s", want, res.Code)
		}
	}
	if !strings.Contains(res.Title, "kept from the workspace's scripts") {
		t.Errorf("title: %s", res.Title)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

func TestEvidenceSearchItemPathInferred(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"Project.native.schema.groovy": `objectClass("Project") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("name") { jsonType "string"; required true }
    attribute("created") { jsonType "string"; creatable false; updateable false }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
`,
		"Project.search.groovy": `objectClass("Project") {
    search {
        endpoint("projects/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }
    }
}
`,
	})
	res := gen(t, load(t, dir), "Project", KindUpdate, true)
	if !strings.Contains(res.Code, "// connls:inferred no update is documented or declared; PATCH on projects/{id}") ||
		!strings.Contains(res.Code, `endpoint(PATCH, "projects/{id}")`) || !strings.Contains(res.Code, `supportedAttributes "name"`) {
		t.Errorf("inferred PATCH:\n%s", res.Code)
	}
	if !strings.Contains(res.Title, "inferred") {
		t.Errorf("title: %s", res.Title)
	}
	problems := writeAndCheck(t, dir, res)
	noErrors(t, problems)
	var info []string
	for _, p := range problems {
		if p.Code == "inferred-endpoint" {
			info = append(info, p.Severity.String()+" "+p.Message)
		}
	}
	if len(info) != 1 || !strings.HasPrefix(info[0], "info inferred by connls: no update is documented or declared") {
		t.Errorf("the inferred endpoint should be one info diagnostic: %q", info)
	}
}

func TestEvidenceEmbeddedClassOnRequest(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"Membership.native.schema.groovy": `objectClass("Membership") {
    embedded(true)
    attribute("id") { jsonType "integer"; required true }
    attribute("name") { jsonType "string"; required true }
}
`,
		"Membership.search.groovy": `objectClass("Membership") {
    search {
        endpoint("memberships/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }
    }
}
`,
	})
	res := gen(t, load(t, dir), "Membership", KindConnID, true)
	if !strings.Contains(res.Code, `connIdAttribute("UID", "id")`) || !strings.Contains(res.Code, `connIdAttribute("NAME", "name")`) ||
		!strings.Contains(res.Code, "Membership is embedded: the framework needs no connid mapping for it") {
		t.Errorf("embedded class:\n%s", res.Code)
	}
	found := false
	for _, n := range res.Notes {
		found = found || strings.Contains(n, "does not require a connid mapping")
	}
	if !found {
		t.Errorf("notes: %q", res.Notes)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

// A documented update path keyed by {username}: with UID id mapped by
// hand, the path cannot be filled and the generated line says so as an
// error; without a mapping, the UID is chosen to fit.
func TestEvidenceUsernamePlaceholder(t *testing.T) {
	files := map[string]string{
		"User.native.schema.groovy": `objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string"; required true; description "the user's username" }
    attribute("email") { jsonType "string" }
}
`,
		"docs/openapi.yaml": `openapi: 3.0.0
info: { title: t, version: "1" }
paths:
  /admin/users/{username}:
    patch:
      parameters:
        - { name: username, in: path, required: true, schema: { type: string } }
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/User" }
      responses: { "200": { description: ok } }
components:
  schemas:
    User:
      type: object
      properties:
        id: { type: integer, readOnly: true }
        login: { type: string, description: "the user's username" }
        email: { type: string }
`,
	}
	dir := workspaceOf(t, files)
	res := gen(t, load(t, dir), "User", KindConnID, true)
	if !strings.Contains(res.Code, `connIdAttribute("UID", "login")`) || !strings.Contains(res.Code, "PATCH /admin/users/{username} addresses objects by it") {
		t.Errorf("the UID is chosen to fit the path:\n%s", res.Code)
	}
	noErrors(t, writeAndCheck(t, dir, res))
	up := gen(t, load(t, dir), "User", KindUpdate, true)
	if !strings.Contains(up.Code, `endpoint(PATCH, "/admin/users/{id}")`) {
		t.Errorf("with UID login the path takes {id}:\n%s", up.Code)
	}
	noErrors(t, writeAndCheck(t, dir, up))

	files["User.connid.schema.groovy"] = "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n"
	dir = workspaceOf(t, files)
	up = gen(t, load(t, dir), "User", KindUpdate, true)
	if !strings.Contains(up.Code, `endpoint(PATCH, "/admin/users/{username}")`) || !strings.Contains(up.Code, "{username} takes login") {
		t.Fatalf("the placeholder is kept, with why:\n%s", up.Code)
	}
	var errs []string
	lines := strings.Split(up.Changes[0].After, "\n")
	for _, p := range writeAndCheck(t, dir, up) {
		if p.Severity == dsl.SevError {
			errs = append(errs, p.Code+": "+strings.TrimSpace(lines[p.Range.Start.Line]))
		}
	}
	if len(errs) != 1 || errs[0] != `path-placeholder: endpoint(PATCH, "/admin/users/{username}") {` {
		t.Errorf("want one error on the generated endpoint line: %q", errs)
	}
}
