package lsp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// TestScaffold: a folder holding only an API description is offered
// "Scaffold the connector"; running it creates every script and the
// manifest, by one workspace edit where the client can create files and
// on disk where it cannot, and the new connector checks with no error.
func TestScaffold(t *testing.T) {
	noCreate := defaultCaps()
	noCreate["workspace"].(map[string]any)["workspaceEdit"] = map[string]any{"documentChanges": true}
	for name, caps := range map[string]map[string]any{"create files": defaultCaps(), "no create files": noCreate} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			doc, err := os.ReadFile(filepath.Join("..", "testdata", "ticketdesk", "docs", "openapi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			api := filepath.Join(dir, "openapi.yaml")
			if err := os.WriteFile(api, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			c := start(t, opts{folders: []string{dir}, caps: caps})
			c.open(api)
			var scaffold *action
			for _, a := range c.codeActions(api, 0, 0, "source") {
				if strings.HasPrefix(a.Title, "Scaffold the connector from openapi.yaml") {
					scaffold = &a
				}
			}
			if scaffold == nil {
				t.Fatal("no scaffold action on a folder that holds only a description")
			}
			var out struct {
				Status  string   `json:"status"`
				Applied bool     `json:"applied"`
				Created []string `json:"created"`
			}
			if err := c.call("workspace/executeCommand", map[string]any{"command": scaffold.Command.Command, "arguments": scaffold.Command.Arguments}, &out); err != nil {
				t.Fatal(err)
			}
			if out.Status != "created" || !out.Applied || len(out.Created) < 5 {
				t.Fatalf("outcome %+v", out)
			}
			var manifest struct {
				Connector map[string][]struct{ Script string } `json:"connector"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
			if err != nil || json.Unmarshal(b, &manifest) != nil {
				t.Fatalf("manifest: %v\n%s", err, b)
			}
			listed := 0
			for _, entries := range manifest.Connector {
				for _, e := range entries {
					if _, err := os.Stat(filepath.Join(dir, e.Script)); err != nil {
						t.Errorf("the manifest lists %s: %v", e.Script, err)
					}
					listed++
				}
			}
			if listed != len(out.Created)-1 {
				t.Errorf("the manifest lists %d scripts, %d files were created", listed, len(out.Created))
			}
			// What was created checks with no error, read from disk.
			ws, err := workspace.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			m, err := analysis.NewAnalyzer().Analyze(t.Context(), ws.Snapshot(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Diagnostics() {
				if p.Severity == dsl.SevError {
					t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
				}
			}
			// The folder holds a connector now: no second scaffold. An
			// editor tells the server of the files it created.
			var changes []any
			for _, u := range out.Created {
				changes = append(changes, map[string]any{"uri": u, "type": 1})
			}
			c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": changes})
			for _, a := range c.codeActions(api, 0, 0, "source") {
				if strings.HasPrefix(a.Title, "Scaffold") {
					t.Errorf("scaffold offered again: %s", a.Title)
				}
			}
		})
	}
}
