package lsp_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func pos(path string, line, col int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": string(uri.File(path))}, "position": map[string]any{"line": line, "character": col}}
}

func TestNavigation(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	connid := filepath.Join(dir, "User.connid.schema.groovy")
	native := filepath.Join(dir, "User.native.schema.groovy")
	update := filepath.Join(dir, "User.update.op.groovy")
	c.open(connid)

	// Hover on "id" in connIdAttribute("UID", "id").
	var hover struct {
		Contents struct{ Value string } `json:"contents"`
	}
	if err := c.call("textDocument/hover", pos(connid, 1, 29), &hover); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"User.id", "integer (int64)", "not creatable", "ConnId **UID**", "Declared in `User.native.schema.groovy:9`", "Documented in `docs/openapi.yaml:157` (openapi)"} {
		if !strings.Contains(hover.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, hover.Contents.Value)
		}
	}
	// Hover on a DSL name documents it.
	if err := c.call("textDocument/hover", pos(native, 12, 10), &hover); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hover.Contents.Value, "updateable") {
		t.Errorf("hover on updateable: %s", hover.Contents.Value)
	}

	// Definition: from the mapping to the declaration.
	var locs []protocol.Location
	if err := c.call("textDocument/definition", pos(connid, 2, 30), &locs); err != nil {
		t.Fatal(err)
	}
	if len(locs) != 1 || locs[0].URI.FsPath() != native || locs[0].Range.Start.Line != 18 {
		t.Errorf("definition of login: %+v", locs)
	}

	// References of email: its declaration, create and update lists, the
	// search filter.
	params := pos(native, 23, 16)
	params["context"] = map[string]any{"includeDeclaration": true}
	if err := c.call("textDocument/references", params, &locs); err != nil {
		t.Fatal(err)
	}
	files := map[string]int{}
	for _, l := range locs {
		files[filepath.Base(l.URI.FsPath())]++
	}
	if files["User.native.schema.groovy"] != 1 || files["User.create.op.groovy"] != 1 || files["User.update.op.groovy"] != 1 || files["User.search.groovy"] != 1 {
		t.Errorf("references of email: %v", files)
	}

	// Document symbols: class, attributes, operations, endpoints.
	var syms []protocol.DocumentSymbol
	if err := c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(update))}}, &syms); err != nil {
		t.Fatal(err)
	}
	if len(syms) != 1 || syms[0].Name != "User" || len(syms[0].Children) != 1 || syms[0].Children[0].Name != "update" || len(syms[0].Children[0].Children) != 3 ||
		syms[0].Children[0].Children[1].Name != "POST /users/{id}/lock" {
		b, _ := json.Marshal(syms)
		t.Errorf("symbols: %s", b)
	}
}

func TestCompletion(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	path := filepath.Join(dir, "User.connid.schema.groovy")
	c.open(path)
	complete := func(line, col int) []string {
		var list struct {
			Items []struct{ Label string } `json:"items"`
		}
		if err := c.call("textDocument/completion", pos(path, line, col), &list); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range list.Items {
			out = append(out, it.Label)
		}
		return out
	}
	has := func(list []string, want ...string) bool {
		for _, w := range want {
			found := false
			for _, l := range list {
				found = found || l == w
			}
			if !found {
				return false
			}
		}
		return true
	}
	c.edit(path, `    connIdAttribute("NAME", "login")`, "    connIdAttribute(\"NAME\", \"login\")\n    connIdAttribute(\"\n    connIdAttribute(\"NAME\", \"\n    upd")
	if got := complete(3, 21); !has(got, "UID", "NAME") || len(got) != 2 {
		t.Errorf("first argument of connIdAttribute: %v", got)
	}
	if got := complete(4, 29); !has(got, "id", "login", "email", "phones") {
		t.Errorf("second argument: %v", got)
	}
	if got := complete(5, 7); !has(got, "attribute", "connIdAttribute", "description") {
		t.Errorf("statement in objectClass: %v", got)
	}
}

// TestPullDiagnostics: a client that pulls gets the findings of an open
// document on request, and no push for it.
func TestPullDiagnostics(t *testing.T) {
	dir := sample(t, "broken")
	caps := defaultCaps()
	caps["textDocument"].(map[string]any)["diagnostic"] = map[string]any{}
	c := start(t, opts{folders: []string{dir}, caps: caps})
	path := filepath.Join(dir, "Customer.native.schema.groovy")
	c.open(path)
	var report struct {
		Kind  string
		Items []struct{ Code string }
	}
	if err := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(path))}}, &report); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range report.Items {
		got = append(got, it.Code)
	}
	if report.Kind != "full" || strings.Join(got, ",") != "unknown-dsl,wrong-value-type,unknown-json-type" {
		t.Errorf("pulled: %s %v", report.Kind, got)
	}
	m := c.mark()
	c.edit(path, "updateabel", "updateable")
	if err := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(path))}}, &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Items) != 2 {
		t.Errorf("after the fix: %+v", report.Items)
	}
	// Other files are still pushed; the open one is not.
	c.diagnostics(0, filepath.Join(dir, "Customer.connid.schema.groovy"), func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) > 0 })
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.events[m:] {
		var p protocol.PublishDiagnosticsParams
		if e.method == "textDocument/publishDiagnostics" && protocol.Unmarshal(e.params, &p) == nil && p.URI.FsPath() == path {
			t.Error("an open document was pushed in pull mode")
		}
	}
}
