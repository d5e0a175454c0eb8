package generate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// teamsAPI describes teams of organizations: a team carries its
// organization (another object class: a relationship), an owner address
// (a nested value: an embedded class), a free-form settings map, and a
// write-only secret.
const teamsAPI = `openapi: 3.0.3
info: {title: teams, version: "1"}
servers: [{url: "https://example.com/api/v2"}]
paths:
  /orgs:
    get:
      responses:
        "200": {description: orgs, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Org"}}}}}
  /orgs/{org}:
    get:
      parameters: [{name: org, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one org, content: {application/json: {schema: {$ref: "#/components/schemas/Org"}}}}
  /teams/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: one team, content: {application/json: {schema: {$ref: "#/components/schemas/Team"}}}}
components:
  schemas:
    Org:
      type: object
      properties:
        name: {type: string, description: "The org's unique name"}
    Address:
      type: object
      properties:
        street: {type: string}
        zip: {type: string}
    Team:
      type: object
      description: A team of people in an org
      required: [name]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        name: {type: string, description: "The team's name"}
        tags: {type: array, items: {type: string}}
        secret: {type: string, writeOnly: true}
        org: {$ref: "#/components/schemas/Org"}
        office: {$ref: "#/components/schemas/Address"}
        settings: {type: object, additionalProperties: true}
`

func TestNativeFromDocs(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": teamsAPI})
	res := gen(t, load(t, dir), "Team", KindNative, false)
	for _, want := range []string{
		"objectClass(\"TeamAddress\") {\n    embedded true\n    attribute(\"street\") {\n        jsonType \"string\"\n    }",
		"objectClass(\"Team\") {\n    description \"A team of people in an org\"",
		"attribute(\"id\") {\n        jsonType \"integer\"\n        openApiFormat \"int64\"\n        creatable false\n        updateable false\n    }",
		"attribute(\"name\") {\n        jsonType \"string\"\n        required true\n        description \"The team's name\"",
		"attribute(\"tags\") {\n        jsonType \"string\"\n        multiValued true",
		"attribute(\"secret\") {\n        jsonType \"string\"\n        readable false",
		"// org refers to Org: a relationship",
		"attribute(\"office\") {\n        complexType \"TeamAddress\"\n    }",
		"// settings an object with no documented parts: not mapped",
	} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("native schema lacks\n%s\nin\n%s", want, res.Code)
		}
	}
	if strings.Index(res.Code, `objectClass("TeamAddress")`) > strings.Index(res.Code, `objectClass("Team")`) {
		t.Errorf("the embedded class should come first:\n%s", res.Code)
	}
	if len(res.Changes) != 1 || !res.Changes[0].New || res.Changes[0].Path != "Team.native.schema.groovy" {
		t.Fatalf("changes: %+v", res.Changes)
	}
	for _, p := range writeAndCheck(t, dir, res) {
		if p.Code != "missing-uid" && p.Code != "missing-name" {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}

	// The mapping can now be generated from the description alone.
	connid := gen(t, load(t, dir), "Team", KindConnID, false)
	noErrors(t, writeAndCheck(t, dir, connid))

	// A hand edit is kept; from scratch, the generated schema is a
	// proposal to confirm.
	p := filepath.Join(dir, "Team.native.schema.groovy")
	b, _ := os.ReadFile(p)
	edited := strings.Replace(string(b), "description \"The team's name\"", "description \"Team name\"", 1)
	os.WriteFile(p, []byte(edited), 0o644)
	if r := gen(t, load(t, dir), "Team", KindNative, false); len(r.Changes) != 0 {
		t.Errorf("a hand-edited native schema is changed: status %s\n%s", r.Status, r.Changes[0].After)
	}
	r := gen(t, load(t, dir), "Team", KindNative, true)
	if r.Status != "proposal" || !r.Confirm || len(r.Changes) != 1 || !strings.Contains(r.Changes[0].After, "description \"The team's name\"") {
		t.Errorf("from scratch: status %s, changes %+v", r.Status, r.Changes)
	}
}

// TestNativeBesideOtherClasses: a native file that holds another class
// too keeps it; the class's block alone is generated, without embedded
// classes, which have no place of their own there.
func TestNativeBesideOtherClasses(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"api.yaml":                  teamsAPI,
		"Team.native.schema.groovy": "objectClass(\"Org\") {\n    attribute(\"name\") {\n        jsonType \"string\"\n    }\n}\n",
	})
	res := gen(t, load(t, dir), "Team", KindNative, false)
	if strings.Contains(res.Code, "embedded true") || !strings.Contains(res.Code, "// office a nested object") {
		t.Errorf("code:\n%s", res.Code)
	}
	if !strings.HasPrefix(res.Changes[0].After, "objectClass(\"Org\")") {
		t.Errorf("the other class is lost:\n%s", res.Changes[0].After)
	}
	for _, p := range writeAndCheck(t, dir, res) {
		if p.Code != "missing-uid" && p.Code != "missing-name" {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}
}
