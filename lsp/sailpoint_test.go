package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestSailPointFile: the file's problems are diagnostics, and "Register
// in SailPoint (dry run)" shows the request without sending anything.
func TestSailPointFile(t *testing.T) {
	dir := sample(t, "ticketdesk")
	file := filepath.Join(dir, "sailpoint.connector.json")
	os.WriteFile(file, []byte("{\n  \"name\": \"TicketDesk\",\n  \"status\": \"BETA\"\n}\n"), 0o644)
	c := start(t, opts{folders: []string{dir}, env: []string{"SAIL_TENANT=acme"}})
	c.open(file)
	d := c.diagnostics(0, file, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "sailpoint-unknown-status") })
	if d.Diagnostics[0].Range.Start.Line != 2 {
		t.Fatalf("diagnostic at %+v", d.Diagnostics[0].Range)
	}
	var dry *action
	for _, a := range c.codeActions(file, 0, 0, "source") {
		if a.Title == "Register in SailPoint (dry run)" {
			dry = &a
		}
	}
	if dry == nil {
		t.Fatal("no dry-run action")
	}
	var out struct{ Request string }
	if err := c.call("workspace/executeCommand", map[string]any{"command": dry.Command.Command, "arguments": dry.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Request, "POST https://acme.api.identitynow.com/v3/connectors") || !strings.Contains(out.Request, `"status": "BETA"`) {
		t.Fatalf("request:\n%s", out.Request)
	}
	c.waitFor("the request shown", func(e event) bool {
		return e.method == "window/showMessage" && strings.Contains(string(e.params), "dry run")
	})
}
