package generate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/analysis/groovy"
)

// membersAPI documents groups and their members both ways (the members
// of a group by its id, the groups of a user by the username), and the
// projects of a group one way only, paged by offset.
const membersAPI = `openapi: 3.0.3
info: {title: members, version: "1"}
servers: [{url: "https://example.com/api"}]
paths:
  /users:
    get:
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200": {description: users, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /users/{username}:
    get:
      parameters: [{name: username, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one user, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
  /users/{username}/groups:
    get:
      parameters:
        - {name: username, in: path, required: true, description: the user's username, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200": {description: the groups of a user, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Group"}}}}}
  /groups:
    get:
      responses:
        "200": {description: groups, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Group"}}}}}
  /groups/{groupId}:
    get:
      parameters: [{name: groupId, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one group, content: {application/json: {schema: {$ref: "#/components/schemas/Group"}}}}
  /groups/{groupId}/members:
    get:
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200": {description: the members of a group, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /groups/{groupId}/projects:
    get:
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: the projects of a group
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Project"}}
  /projects:
    get:
      responses:
        "200": {description: projects, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Project"}}}}}
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
    Group:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Project:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        group: {type: string}
`

func TestFindRelations(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI})
	m := load(t, dir)
	rels := FindRelations(m.Units[0])
	got := RelationsText(rels)
	for _, want := range []string{
		"ProjectGroupMembership: Project.groupRef -> Group, Group.project -> Project (GET /groups/{groupId}/projects)\n",
		"UserGroupMembership: User.group -> Group, Group.member -> User (GET /groups/{groupId}/members, GET /users/{username}/groups)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("relations:\n%s\nwant a line:\n%s", got, want)
		}
	}
	if len(rels) != 2 {
		t.Fatalf("%d relations, want 2:\n%s", len(rels), got)
	}
	ug := rels[1]
	if ug.OfObject.Fill != "uid" || ug.OfSubject.Fill != "name" {
		t.Errorf("{groupId} filled with the group's %s, {username} with the user's %s; want uid, name", ug.OfObject.Fill, ug.OfSubject.Fill)
	}
}

func TestGenerateRelations(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI})
	res := gen(t, load(t, dir), "UserGroupMembership", KindRelations, false)
	for _, want := range []string{
		`relationship("UserGroupMembership") {`,
		"    subject(\"User\") {\n        attribute(\"group\") {\n            multiValued true\n            resolver {",
		"                    attributeFilter(\"member\").eq(value)\n",
		"    object(\"Group\") {\n        attribute(\"member\") {",
		"                    attributeFilter(\"group\").eq(value)\n",
		// The groups of a user: filtered by member, the user's NAME.
		"objectClass(\"Group\") {",
		`        endpoint("/users/{username}/groups") {` + "\n            responseFormat JSON_ARRAY\n            pagingSupport {\n                request.queryParameter(\"per_page\", paging.pageSize)\n                        .queryParameter(\"page\", paging.pageOffset)\n            }\n" +
			"            supportedFilter(attribute(\"member\").eq().anySingleValue()) {\n                request.pathParameter(\"username\", value.value.name)\n            }",
		// The members of a group: filtered by group, the group's UID.
		`        endpoint("/groups/{groupId}/members") {`,
		"            supportedFilter(attribute(\"group\").eq().anySingleValue()) {\n                request.pathParameter(\"groupId\", value.value.uid)\n            }",
	} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("code:\n%s\nwant:\n%s", res.Code, want)
		}
	}
	if strings.Contains(res.Code, "emptyFilterSupported") {
		t.Errorf("a support search lists nothing without its filter: %s", res.Code)
	}
	var names []string
	for _, c := range res.Changes {
		names = append(names, c.Path)
	}
	if strings.Join(names, " ") != "associations.schema.groovy User.group.support.search.groovy" {
		t.Errorf("changes %v", names)
	}
	noErrors(t, writeAndCheck(t, dir, res))
	for _, n := range []string{"associations.schema.groovy", "User.group.support.search.groovy"} {
		src, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if f := groovy.Parse(src); len(f.Errors) > 0 || f.TreeErrors > 0 {
			t.Errorf("%s does not parse: %v", n, f.Errors)
		}
	}

	// The second relationship goes after the first, in the same file;
	// its one documented direction gives the object a resolver only.
	res = gen(t, load(t, dir), "ProjectGroupMembership", KindRelations, false)
	if !strings.Contains(res.Code, "    subject(\"Project\") {\n        // No documented endpoint lists these: the attribute has no resolver.\n        attribute(\"groupRef\")\n    }") {
		t.Errorf("Project.groupRef (Project documents its own group) without a resolver:\n%s", res.Code)
	}
	if !strings.Contains(res.Code, "return response.body().get(\"items\")") || !strings.Contains(res.Code, `queryParameter("offset", (paging.pageOffset - 1) * paging.pageSize)`) {
		t.Errorf("the projects' support search pages as the search does:\n%s", res.Code)
	}
	noErrors(t, writeAndCheck(t, dir, res))
	text, _ := os.ReadFile(filepath.Join(dir, "associations.schema.groovy"))
	if strings.Count(string(text), "relationship(") != 2 {
		t.Errorf("associations.schema.groovy:\n%s", text)
	}
}

// TestRelationsKeepHandEdits: an edited relationship stays as edited;
// --fresh proposes the generated block, which the user confirms.
func TestRelationsKeepHandEdits(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI})
	res := gen(t, load(t, dir), "UserGroupMembership", KindRelations, false)
	m := load(t, dir)
	if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "associations.schema.groovy")
	text, _ := os.ReadFile(p)
	edited := strings.Replace(string(text), "resolutionType PER_OBJECT", "resolutionType BATCH", 1)
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	// A normal regeneration keeps the edit: nothing in a relationship is
	// a line connls merges (a mapping, supportedAttributes).
	again := gen(t, load(t, dir), "UserGroupMembership", KindRelations, false)
	if again.Status != "unchanged" || len(again.Changes) != 0 {
		t.Errorf("regeneration over an edit: %s, %d changes", again.Status, len(again.Changes))
	}
	// From scratch: a proposal the user confirms, of the relationship
	// only (the support searches are as generated).
	fresh := gen(t, load(t, dir), "UserGroupMembership", KindRelations, true)
	if fresh.Status != "proposal" || !fresh.Confirm || len(fresh.Changes) != 1 || !strings.Contains(fresh.Changes[0].After, "resolutionType PER_OBJECT") || strings.Contains(fresh.Changes[0].After, "BATCH") {
		t.Errorf("--fresh: %s, confirm %v, %+v", fresh.Status, fresh.Confirm, fresh.Changes)
	}
}

func TestRelationsNotFound(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI})
	_, err := Generate(context.Background(), Request{Model: load(t, dir), Class: "Nope", Kind: KindRelations})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "UserGroupMembership") {
		t.Errorf("unknown relationship: %v", err)
	}
	dir = workspaceOf(t, map[string]string{"api.yaml": pagingAPI})
	_, err = Generate(context.Background(), Request{Model: load(t, dir), Class: "UserGroupMembership", Kind: KindRelations})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "No relationship found") {
		t.Errorf("no sub-collection: %v", err)
	}
}

// TestRelationsForgejo compares with Evolveum's Forgejo connector: the
// same relationships, attributes and placeholders, filled with the UID
// of an organization and the NAME of a user.
func TestRelationsForgejo(t *testing.T) {
	doc := filepath.Join(realworld, "openapi", "forgejo-swagger-2.0.json")
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Skipf("no Forgejo description: %v", err)
	}
	dir := workspaceOf(t, map[string]string{"forgejo-swagger-2.0.json": string(b)})
	m := load(t, dir)
	got := RelationsText(FindRelations(m.Units[0]))
	for _, want := range []string{
		"UserOrganizationMembership: User.organization -> Organization, Organization.member -> User (GET /orgs/{org}/members, GET /users/{username}/orgs)\n",
		"UserTeamMembership: User.team -> Team, Team.member -> User (GET /teams/{id}/members)\n",
		"TeamOrganizationMembership: Team.organizationRef -> Organization, Organization.team -> Team (GET /orgs/{org}/teams)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("relations:\n%s\nwant a line:\n%s", got, want)
		}
	}
	res := gen(t, m, "UserOrganizationMembership", KindRelations, false)
	for _, want := range []string{
		"request.pathParameter(\"username\", value.value.name)",
		"request.pathParameter(\"org\", value.value.uid)",
		"supportedFilter(attribute(\"member\").eq().anySingleValue())",
		"supportedFilter(attribute(\"organization\").eq().anySingleValue())",
	} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("code:\n%s\nwant:\n%s", res.Code, want)
		}
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

// TestRelationsKeepDeclared: a relationship the scripts declare between
// the two classes keeps its name, sides and attributes; connls writes
// the support searches for them and leaves the block as written.
func TestRelationsKeepDeclared(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI, "associations.schema.groovy": `// Written by hand.
relationship("GroupMembership") {
    subject("User") {
        attribute("groups") {
            resolver {
                resolutionType PER_OBJECT
                search {
                    attributeFilter("members").eq(value)
                }
            }
        }
    }
    object("Group") {
        attribute("members")
    }
}
`})
	rels := FindRelations(load(t, dir).Units[0])
	got := RelationsText(rels)
	if !strings.Contains(got, "GroupMembership: User.groups -> Group, Group.members -> User (GET /groups/{groupId}/members, GET /users/{username}/groups)\n") || strings.Contains(got, "UserGroupMembership") {
		t.Fatalf("relations:\n%s", got)
	}
	res := gen(t, load(t, dir), "GroupMembership", KindRelations, false)
	if len(res.Changes) != 1 || res.Changes[0].Path != "User.groups.support.search.groovy" {
		t.Fatalf("changes: %+v", res.Changes)
	}
	for _, want := range []string{
		"objectClass(\"Group\") {",
		"supportedFilter(attribute(\"members\").eq().anySingleValue()) {\n                request.pathParameter(\"username\", value.value.name)",
		"supportedFilter(attribute(\"groups\").eq().anySingleValue()) {\n                request.pathParameter(\"groupId\", value.value.uid)",
	} {
		if !strings.Contains(res.Changes[0].After, want) {
			t.Errorf("support searches:\n%s\nwant:\n%s", res.Changes[0].After, want)
		}
	}
	m := load(t, dir)
	if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	// Again: nothing changes, the hand-written block included.
	if again := gen(t, load(t, dir), "GroupMembership", KindRelations, false); len(again.Changes) != 0 || again.Status != "unchanged" {
		t.Errorf("again: %s, %+v", again.Status, again.Changes)
	}
	for _, p := range load(t, dir).Diagnostics() {
		if p.Severity == dsl.SevError {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}
}

// TestRelationsBesideOthers: a new relationship goes where the unit's
// others are, not into a second associations script.
func TestRelationsBesideOthers(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI, "associations.new.schema.groovy": `relationship("ProjectOwnership") {
    subject("Project") {
        attribute("owner")
    }
    object("Group") {
        attribute("projects")
    }
}
`})
	res := gen(t, load(t, dir), "UserGroupMembership", KindRelations, false)
	if res.Changes[0].Path != "associations.new.schema.groovy" || !strings.HasPrefix(res.Changes[0].After, `relationship("ProjectOwnership") {`) ||
		!strings.Contains(res.Changes[0].After, "}\n\nrelationship(\"UserGroupMembership\") {\n") {
		t.Fatalf("changes: %s\n%s", res.Changes[0].Path, res.Changes[0].After)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}

func TestSingular(t *testing.T) {
	for in, want := range map[string]string{"members": "member", "repositories": "repository", "access-profiles": "accessProfile", "public_members": "public_member", "address": "address", "classes": "class"} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRelationsManifest: the relationship and its support searches are
// listed in one change of the manifest, each in its section.
func TestRelationsManifest(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": membersAPI, "connector.manifest.json": `{
  "connector": {
    "schema": [
      { "script": "/User.native.schema.groovy" }
    ],
    "operation": [
      { "script": "/User.search.groovy" }
    ]
  }
}
`, "User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n    attribute(\"username\") { jsonType \"string\" }\n}\n",
		"User.search.groovy": "objectClass(\"User\") {\n    search {\n        endpoint(\"/users\") {\n            responseFormat JSON_ARRAY\n        }\n    }\n}\n"})
	res := gen(t, load(t, dir), "UserGroupMembership", KindRelations, false)
	var manifest []FileChange
	for _, c := range res.Changes {
		if c.Path == "connector.manifest.json" {
			manifest = append(manifest, c)
		}
	}
	if len(manifest) != 1 {
		t.Fatalf("%d changes of the manifest", len(manifest))
	}
	after := manifest[0].After
	schema, op := strings.Index(after, `"/associations.schema.groovy"`), strings.Index(after, `"/User.group.support.search.groovy"`)
	if schema < 0 || op < 0 || schema > strings.Index(after, `"operation"`) || op < strings.Index(after, `"operation"`) {
		t.Errorf("manifest:\n%s", after)
	}
	noErrors(t, writeAndCheck(t, dir, res))
}
