package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateRelationship: a relationship the documentation shows (GET
// /teams/{id}/members) is offered on its classes and, once generated, is
// not offered again.
func TestGenerateRelationship(t *testing.T) {
	dir := t.TempDir()
	doc, err := os.ReadFile(filepath.Join("testdata", "teams.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"teams.yaml": string(doc),
		"connector.manifest.json": `{"connector": {"schema": [{"script": "/User.native.schema.groovy"}, {"script": "/Team.native.schema.groovy"},
  {"script": "/User.connid.schema.groovy"}, {"script": "/Team.connid.schema.groovy"}]}}
`,
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") {\n        jsonType \"integer\"\n        creatable false\n        updateable false\n    }\n    attribute(\"login\") {\n        jsonType \"string\"\n    }\n}\n",
		"Team.native.schema.groovy": "objectClass(\"Team\") {\n    attribute(\"id\") {\n        jsonType \"integer\"\n        creatable false\n        updateable false\n    }\n    attribute(\"name\") {\n        jsonType \"string\"\n    }\n}\n",
		"User.connid.schema.groovy": "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n",
		"Team.connid.schema.groovy": "objectClass(\"Team\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"name\")\n}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := start(t, opts{folders: []string{dir}})
	team := filepath.Join(dir, "Team.connid.schema.groovy")
	c.open(team)
	find := func() *action {
		for _, a := range c.codeActions(team, 1, 5, "source") {
			if strings.HasPrefix(a.Title, "Generate relationship UserTeamMembership") {
				return &a
			}
		}
		return nil
	}
	rel := find()
	if rel == nil {
		t.Fatal("the documented relationship is not offered")
	}
	var out struct {
		Status  string   `json:"status"`
		Applied bool     `json:"applied"`
		Created []string `json:"created"`
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": rel.Command.Command, "arguments": rel.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "created" || !out.Applied {
		t.Fatalf("outcome %+v", out)
	}
	assoc, _ := os.ReadFile(filepath.Join(dir, "associations.schema.groovy"))
	if !strings.Contains(string(assoc), `relationship("UserTeamMembership")`) {
		t.Fatalf("associations.schema.groovy:\n%s", assoc)
	}
	var changes []any
	for _, u := range out.Created {
		changes = append(changes, map[string]any{"uri": u, "type": 1})
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": changes})
	if a := find(); a != nil {
		t.Errorf("offered again once written: %s", a.Title)
	}
}
