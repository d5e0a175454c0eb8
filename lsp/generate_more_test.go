package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateMissingScripts: the scripts a class lacks (here Group's
// create and delete) are offered; those it has (its native schema and
// search, written by hand) are not.
func TestGenerateMissingScripts(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	native := filepath.Join(dir, "Group.native.schema.groovy")
	c.open(native)
	var titles []string
	var del *action
	for _, a := range c.codeActions(native, 3, 5, "source") {
		titles = append(titles, a.Title)
		if strings.HasPrefix(a.Title, "Generate delete operation for Group: DELETE /groups/{id}") {
			del = &a
		}
	}
	all := strings.Join(titles, "\n")
	if !strings.Contains(all, "Generate create operation for Group: POST /groups") || del == nil {
		t.Fatalf("create and delete not offered:\n%s", all)
	}
	if strings.Contains(all, "native schema for Group") || strings.Contains(all, "search for Group") {
		t.Errorf("scripts Group has are offered:\n%s", all)
	}
	var out struct {
		Status  string `json:"status"`
		Applied bool   `json:"applied"`
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": del.Command.Command, "arguments": del.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "created" || !out.Applied {
		t.Fatalf("outcome %+v", out)
	}
	created, _ := os.ReadFile(filepath.Join(dir, "Group.delete.op.groovy"))
	if !strings.Contains(string(created), `endpoint(DELETE, "/groups/{id}")`) {
		t.Errorf("created file:\n%s", created)
	}
}
