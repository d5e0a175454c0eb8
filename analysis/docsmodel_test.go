package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/connls/connls/workspace"
)

// loadArchive writes the files of a txtar archive into a temporary
// workspace and analyses it.
func loadArchive(t *testing.T, archive string) *Model {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return loadDir(t, dir)
}

// TestSCIMSchemaFilesAlone: SCIM schema files without a script or
// resource types give their classes, an extension in its own file merged
// into the class it extends.
func TestSCIMSchemaFilesAlone(t *testing.T) {
	m := loadArchive(t, `
-- scim/user.json --
{"id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User",
 "attributes": [{"name": "userName", "type": "string", "required": true}]}
-- scim/enterprise.json --
{"id": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "name": "EnterpriseUser",
 "attributes": [{"name": "employeeNumber", "type": "string"}]}
-- scim/schema.json --
{"id": "urn:ietf:params:scim:schemas:core:2.0:Schema", "name": "Schema",
 "attributes": [{"name": "attributes", "type": "complex", "multiValued": true}]}
`)
	u := onlyUnit(t, m)
	if len(u.Classes) != 1 || u.Classes[0].Name != "User" {
		t.Fatalf("classes: %v", classNames(u))
	}
	user := u.Classes[0]
	var attrs []string
	for _, a := range user.Attributes {
		attrs = append(attrs, a.Name+"@"+a.Source().File)
	}
	if got := strings.Join(attrs, " "); got != "id@scim/user.json userName@scim/user.json employeeNumber@scim/enterprise.json" {
		t.Errorf("attributes: %s", got)
	}
	if why := user.Why(); why != "SCIM schema urn:ietf:params:scim:schemas:core:2.0:User (scim/user.json:1)" {
		t.Errorf("why: %s", why)
	}
}

// TestSCIMExtensionAlone: an extension schema whose core schema no
// document holds gives the class it extends, with what it adds.
func TestSCIMExtensionAlone(t *testing.T) {
	m := loadArchive(t, `
-- scim/enterprise.json --
{"id": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "name": "EnterpriseUser",
 "attributes": [{"name": "employeeNumber", "type": "string"}, {"name": "costCenter", "type": "string"}]}
-- scim/schema.json --
{"id": "urn:ietf:params:scim:schemas:core:2.0:Schema", "name": "Schema",
 "attributes": [{"name": "attributes", "type": "complex", "multiValued": true}]}
`)
	u := onlyUnit(t, m)
	if len(u.Classes) != 1 || u.Classes[0].Name != "User" {
		t.Fatalf("classes: %v", classNames(u))
	}
	user := u.Classes[0]
	var attrs []string
	for _, a := range user.Attributes {
		attrs = append(attrs, a.Name)
	}
	if got := strings.Join(attrs, " "); got != "employeeNumber costCenter" {
		t.Errorf("attributes: %s", got)
	}
	if why := user.Why(); why != "SCIM schema extension urn:ietf:params:scim:schemas:extension:enterprise:2.0:User extends User (scim/enterprise.json:1)" {
		t.Errorf("why: %s", why)
	}
}

// TestDocumentedResourceClasses: a description alone gives the classes
// of its resources, named after their schemas, with the endpoints that
// serve them, and says why each is kept; a script's class takes the
// documented endpoints of the schema it is named after.
func TestDocumentedResourceClasses(t *testing.T) {
	m := loadArchive(t, `
-- docs/api.yaml --
openapi: 3.0.3
info: {title: Orgs, version: "1"}
paths:
  /api/v1/orgs/{org}:
    get:
      parameters:
        - {name: org, in: path, required: true, description: name of the organization, schema: {type: string}}
      responses:
        "200":
          description: The organization.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/OrganizationModel"}
    patch:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/EditOrgOption"}
      responses:
        "200":
          description: Changed.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/OrganizationModel"}
  /api/v1/orgs/{org}/activate:
    post:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Activated.}
components:
  schemas:
    OrganizationModel:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        full_name: {type: string}
    EditOrgOption:
      type: object
      properties:
        full_name: {type: string}
    Error:
      type: object
      properties:
        message: {type: string}
`)
	u := onlyUnit(t, m)
	if got := strings.Join(classNames(u), " "); got != "Organization" {
		t.Fatalf("classes: %s", got)
	}
	org := u.Class("Organization")
	var eps []string
	for _, e := range org.DocEndpoints {
		eps = append(eps, e.Operation+" "+e.Method+" "+e.Path)
	}
	if got := strings.Join(eps, "\n"); got != "get GET /api/v1/orgs/{org}\nupdate PATCH /api/v1/orgs/{org}\naction POST /api/v1/orgs/{org}/activate" {
		t.Errorf("endpoints:\n%s", got)
	}
	if a := org.Attribute("name"); a == nil || a.Updateable || !a.Readable {
		t.Errorf("name is not in the PATCH body: %+v", a)
	}
	if a := org.Attribute("full_name"); a == nil || !a.Updateable {
		t.Errorf("full_name is: %+v", a)
	}
	if why := org.Why(); why != "GET /api/v1/orgs/{org} returns OrganizationModel (docs/api.yaml:35)" {
		t.Errorf("why: %s", why)
	}
	ic := inspectClass(org, ".")
	if f := ic.Documented[0].Fills; f["org"] != "Organization.name" {
		t.Errorf("fills: %v", f)
	}
}

func classNames(u *Unit) []string {
	var out []string
	for _, c := range u.Classes {
		out = append(out, c.Name)
	}
	return out
}

// TestMultiFileDescription: a description split over files gives its
// classes with attributes from the referenced files (sources in those
// files); editing a referenced file, in an editor buffer, is seen by the
// next analysis although the root document did not change.
func TestMultiFileDescription(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) string {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("api/openapi.yaml", `openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /users/{id}:
    get:
      responses:
        "200":
          description: A user.
          content:
            application/json:
              schema:
                $ref: ./schemas/user_model.yml
`)
	model := write("api/schemas/user_model.yml", `type: object
properties:
  id: {type: integer, readOnly: true}
  login: {type: string}
`)
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer()
	attrs := func() string {
		t.Helper()
		m, err := a.Analyze(context.Background(), ws.Snapshot(), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := onlyUnit(t, m).Class("User")
		if c == nil {
			t.Fatalf("no class User: %v", classNames(onlyUnit(t, m)))
		}
		var out []string
		for _, a := range c.Attributes {
			s := a.Source()
			out = append(out, fmt.Sprintf("%s %s:%d", a.Name, s.File, s.Line))
		}
		return strings.Join(out, ", ")
	}
	if got := attrs(); got != "id api/schemas/user_model.yml:3, login api/schemas/user_model.yml:4" {
		t.Errorf("attributes: %s", got)
	}
	ws.Open(model, 1, []byte("type: object\nproperties:\n  id: {type: integer, readOnly: true}\n  email: {type: string}\n"))
	if got := attrs(); got != "id api/schemas/user_model.yml:3, email api/schemas/user_model.yml:4" {
		t.Errorf("after editing the referenced file: %s", got)
	}
}
