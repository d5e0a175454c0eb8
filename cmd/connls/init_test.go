package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deskAPI is a small help desk: agents listed with page and per_page,
// read by id, created, updated and deleted; tickets only inside a queue;
// a bearer token.
const deskAPI = `openapi: 3.0.3
info: {title: Desk, version: "1"}
servers: [{url: "https://desk.example.com/api/v1"}]
security: [{token: []}]
paths:
  /agents:
    get:
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: email, in: query, schema: {type: string}}
      responses:
        "200": {description: agents, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Agent"}}}}}
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Agent"}}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Agent"}}}}
  /agents/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get:
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Agent"}}}}
    patch:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Agent"}}}}
      responses:
        "200": {description: updated, content: {application/json: {schema: {$ref: "#/components/schemas/Agent"}}}}
    delete:
      responses:
        "204": {description: gone}
  /queues/{queue}/tickets:
    get:
      parameters: [{name: queue, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: tickets, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Ticket"}}}}}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
  schemas:
    Agent:
      type: object
      required: [email]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        username: {type: string}
        email: {type: string, format: email}
        active: {type: boolean}
    Ticket:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        subject: {type: string}
`

func TestInitFromDescription(t *testing.T) {
	src := filepath.Join(t.TempDir(), "desk.yaml")
	os.WriteFile(src, []byte(deskAPI), 0o644)
	dir := filepath.Join(t.TempDir(), "desk")
	_, stderr, code := run(t, "init", dir, "--from", src)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "core resources: Agent") {
		t.Errorf("the core resources are the listed and read ones:\n%s", stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Connector map[string][]struct{ Script string }
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range []string{"schema", "authorization", "operation"} {
		for _, e := range man.Connector[s] {
			got = append(got, s+" "+e.Script)
		}
	}
	want := []string{
		"schema /Agent.native.schema.groovy", "schema /Agent.connid.schema.groovy",
		"authorization /authorization.op.groovy",
		"operation /Agent.search.groovy", "operation /Agent.create.op.groovy", "operation /Agent.update.op.groovy", "operation /Agent.delete.op.groovy",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("manifest lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range want {
		if _, err := os.Stat(filepath.Join(dir, strings.Fields(e)[1])); err != nil {
			t.Error(err)
		}
	}
	if out, stderr, code := run(t, "check", dir); code != 0 {
		t.Errorf("check of the new workspace: exit %d\n%s%s", code, out, stderr)
	}
	// Generating any script again changes nothing.
	for _, k := range []string{"native", "search", "connid", "create", "update", "delete"} {
		if _, stderr, code := run(t, "generate", k, "--class", "Agent", "--write", dir); code != 0 || !strings.Contains(stderr, "unchanged") {
			t.Errorf("generate %s again: exit %d\n%s", k, code, stderr)
		}
	}
	// A second init is refused.
	if _, _, code := run(t, "init", dir, "--from", src); code != 2 {
		t.Errorf("init over a connector: exit %d, want 2", code)
	}
}

// TestInitForgejo: Forgejo's Swagger 2.0 alone gives users,
// organizations and teams a workspace that checks with no error.
func TestInitForgejo(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "realworld", "openapi", "forgejo-swagger-2.0.json")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no real description: %v", err)
	}
	src, _ = filepath.Abs(src) // the binary runs in the repository's root
	dir := filepath.Join(t.TempDir(), "forgejo")
	_, stderr, code := run(t, "init", dir, "--from", src, "--class", "User", "--class", "Organization", "--class", "Team")
	if code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := run(t, "check", dir); code != 0 {
		t.Errorf("check: exit %d\n%s%s", code, out, stderr)
	}
	// The relationships between the three, with their support searches,
	// as Evolveum's Forgejo connector has them.
	for _, f := range []string{"User.search.groovy", "Organization.search.groovy", "Team.search.groovy", "authorization.op.groovy",
		"associations.schema.groovy", "User.organization.support.search.groovy", "User.team.support.search.groovy"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
	for _, want := range []string{`"/associations.schema.groovy"`, `"/User.organization.support.search.groovy"`} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("the manifest does not list %s:\n%s", want, manifest)
		}
	}
	assoc, _ := os.ReadFile(filepath.Join(dir, "associations.schema.groovy"))
	for _, want := range []string{`relationship("UserOrganizationMembership")`, `relationship("UserTeamMembership")`, `relationship("TeamOrganizationMembership")`} {
		if !strings.Contains(string(assoc), want) {
			t.Errorf("associations.schema.groovy has no %s:\n%s", want, assoc)
		}
	}
}

// TestGenerateRelationsCommand: without --name the relationships are
// listed; with one it is generated and written; none is exit 3.
func TestGenerateRelationsCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(teamsAPI), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, "generate", "relations", dir)
	if code != 0 || out != "UserTeamMembership: User.team -> Team, Team.member -> User (GET /teams/{id}/members)\n" {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	_, stderr, code := run(t, "generate", "relations", "--name", "UserTeamMembership", "--write", dir)
	if code != 0 || !strings.Contains(stderr, "created associations.schema.groovy") || !strings.Contains(stderr, "created User.team.support.search.groovy") {
		t.Fatalf("write: exit %d\n%s", code, stderr)
	}
	support, _ := os.ReadFile(filepath.Join(dir, "User.team.support.search.groovy"))
	if !strings.Contains(string(support), `request.pathParameter("id", value.value.uid)`) {
		t.Errorf("support search:\n%s", support)
	}
	if out, stderr, code := run(t, "check", dir); code != 0 || strings.Contains(out, "error") {
		t.Errorf("check: exit %d\n%s%s", code, out, stderr)
	}
	_, stderr, code = run(t, "generate", "relations", "--name", "Nope", dir)
	if code != 3 || !strings.Contains(stderr, `relationship "Nope" not found; the documentation shows UserTeamMembership`) {
		t.Errorf("unknown: exit %d %s", code, stderr)
	}
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "api.yaml"), []byte(deskAPI), 0o644)
	if _, stderr, code := run(t, "generate", "relations", empty); code != 3 || !strings.Contains(stderr, "no relationship found") {
		t.Errorf("none: exit %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "generate", "relations", "--class", "User", dir); code != 2 || !strings.Contains(stderr, "--name") {
		t.Errorf("--class: exit %d %s", code, stderr)
	}
}

// teamsAPI lists users and teams, and the members of a team.
const teamsAPI = `openapi: 3.0.3
info: {title: Teams, version: "1"}
paths:
  /users:
    get:
      responses:
        "200": {description: users, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
  /teams:
    get:
      responses:
        "200": {description: teams, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Team"}}}}}
  /teams/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Team"}}}}
  /teams/{id}/members:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: members, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: string, readOnly: true}
        login: {type: string}
    Team:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
`
