package lsp_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func sample(t *testing.T, name string) string {
	return copyDir(t, filepath.Join("..", "testdata", name))
}

func TestLifecycle(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	if code := c.shutdown(); code != 0 {
		t.Errorf("exit after shutdown: code %d, want 0", code)
	}

	// Requests before initialize get ServerNotInitialized; exit without
	// shutdown ends with code 1.
	raw := launch(t, nil)
	err := raw.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x"}, "position": map[string]any{"line": 0, "character": 0}}, nil)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != -32002 {
		t.Errorf("request before initialize: %v", err)
	}
	raw.notify("exit", nil)
	if code, err := raw.exit(); err != nil || code != 1 {
		t.Errorf("exit without shutdown: code %d (%v), want 1", code, err)
	}
}

func TestCapabilities(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := launch(t, nil)
	var res protocol.InitializeResult
	caps := defaultCaps()
	caps["textDocument"].(map[string]any)["diagnostic"] = map[string]any{}
	if err := c.call("initialize", map[string]any{"processId": nil, "rootUri": string(uri.File(dir)), "capabilities": caps}, &res); err != nil {
		t.Fatal(err)
	}
	b, _ := protocol.Marshal(res.Capabilities)
	for _, want := range []string{`"positionEncoding":"utf-16"`, `"change":2`, `"hoverProvider":true`, `"definitionProvider":true`,
		`"referencesProvider":true`, `"documentSymbolProvider":true`, `"completionProvider"`, `"resolveProvider":true`,
		`"connls.generate"`, `"diagnosticProvider"`, `"workspaceFolders"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("capabilities lack %s: %s", want, b)
		}
	}
	for _, unwanted := range []string{"renameProvider", "documentFormattingProvider", "semanticTokensProvider"} {
		if strings.Contains(string(b), unwanted) {
			t.Errorf("capability %s advertised but not implemented", unwanted)
		}
	}
	if err := c.call("initialize", map[string]any{"capabilities": map[string]any{}}, nil); err == nil {
		t.Error("a second initialize must fail")
	}
}

// TestDiagnostics: every workspace file gets its diagnostics, open or
// not; edits update them with the document version; fixing a problem
// clears them.
func TestDiagnostics(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}})
	connid := filepath.Join(dir, "Customer.connid.schema.groovy")
	native := filepath.Join(dir, "Customer.native.schema.groovy")
	manifest := filepath.Join(dir, "connector.manifest.json")
	d := c.diagnostics(0, connid, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "connid-name") })
	if _, ok := d.Version.Get(); ok {
		t.Error("a closed file's diagnostics carry no version")
	}
	c.diagnostics(0, manifest, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "manifest-relative-path") })
	c.diagnostics(0, native, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "unknown-dsl") })

	c.open(native)
	m := c.mark()
	v := c.edit(native, "updateabel false", "updateable false")
	d = c.diagnostics(m, native, func(p protocol.PublishDiagnosticsParams) bool { return !hasCode(p, "unknown-dsl") })
	if got, _ := d.Version.Get(); got != v {
		t.Errorf("diagnostics of an open document carry its version: got %d, want %d", got, v)
	}
	m = c.mark()
	v = c.edit(native, `jsonType "decimal"`, `jsonType "number"`)
	d = c.diagnostics(m, native, func(p protocol.PublishDiagnosticsParams) bool { return !hasCode(p, "unknown-json-type") })
	if got, _ := d.Version.Get(); got != v {
		t.Errorf("version %d, want %d", got, v)
	}
	// A fix in one file updates the findings of another: the mapping of
	// NAME to "emial" is fixed by declaring the attribute.
	m = c.mark()
	c.edit(native, `attribute("email") {`, `attribute("emial") {`)
	c.diagnostics(m, connid, func(p protocol.PublishDiagnosticsParams) bool { return !hasCode(p, "mapped-attribute-missing") })
}

// TestStaleChangeIsDropped: a change with an old version would overwrite
// later edits; the server ignores it.
func TestStaleChangeIsDropped(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	path := filepath.Join(dir, "Group.native.schema.groovy")
	c.open(path)
	m := c.mark()
	c.edit(path, `jsonType "string"`, `jsonType "strin"`) // version 2: an error
	c.diagnostics(m, path, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "unknown-json-type") })
	// Replay version 2 with different text: it must be ignored.
	m = c.mark()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": string(uri.File(path)), "version": 2},
		"contentChanges": []any{map[string]any{"text": "objectClass(\"Group\") { description 5 }"}},
	})
	c.edit(path, `jsonType "strin"`, `jsonType "string"`) // version 3: fixed
	d := c.diagnostics(m, path, func(p protocol.PublishDiagnosticsParams) bool { v, _ := p.Version.Get(); return v == 3 })
	if len(d.Diagnostics) != 0 {
		t.Errorf("after the stale change and a fix: %v", codes(d))
	}
	if !strings.Contains(c.stderrText(), "stale change dropped") {
		t.Error("the stale change should be logged")
	}
}

func (c *client) stderrText() string {
	time.Sleep(50 * time.Millisecond)
	return c.stderr.String()
}

// TestDiskChanges: files changed or deleted on disk (a git checkout)
// update the diagnostics of every file that depends on them.
func TestDiskChanges(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}})
	connid := filepath.Join(dir, "Invoice.connid.schema.groovy")
	c.diagnostics(0, connid, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "command-chain") })
	m := c.mark()
	os.Remove(connid)
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(connid)), "type": 3}}})
	c.diagnostics(m, connid, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 })

	// The docs change: the broken JSON is fixed on disk.
	doc := filepath.Join(dir, "docs", "openapi.json")
	c.diagnostics(0, doc, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "doc-error") })
	m = c.mark()
	os.WriteFile(doc, []byte(`{"openapi": "3.0.3", "info": {"title": "Billing", "version": "1"}, "paths": {}}`), 0o644)
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(doc)), "type": 2}}})
	c.diagnostics(m, doc, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 })
}

// TestFSNotifyWatching: a client that cannot watch files gets the
// server's own watcher.
func TestFSNotifyWatching(t *testing.T) {
	dir := sample(t, "ticketdesk")
	caps := defaultCaps()
	delete(caps["workspace"].(map[string]any), "didChangeWatchedFiles")
	c := start(t, opts{folders: []string{dir}, caps: caps})
	c.waitFor("the first analysis", func(e event) bool { return e.method == "$/progress" && strings.Contains(string(e.params), `"end"`) })
	sub := filepath.Join(dir, "extra")
	os.MkdirAll(sub, 0o755)
	time.Sleep(200 * time.Millisecond) // let the watcher see the new directory
	broken := filepath.Join(sub, "Thing.native.schema.groovy")
	os.WriteFile(broken, []byte("objectClass(\"Thing\") {\n    attribute(\"id\") { jsonType \"int\" }\n}\n"), 0o644)
	c.diagnostics(0, broken, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "unknown-json-type") })
	os.RemoveAll(sub)
	c.diagnostics(0, broken, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 })
}

func TestDynamicWatchRegistration(t *testing.T) {
	c := start(t, opts{folders: []string{sample(t, "ticketdesk")}})
	e := c.waitFor("client/registerCapability", func(e event) bool { return e.method == "client/registerCapability" })
	if !strings.Contains(string(e.params), "workspace/didChangeWatchedFiles") || !strings.Contains(string(e.params), "**/*.groovy") {
		t.Errorf("registration: %s", e.params)
	}
}

func TestWorkspaceLoadProgress(t *testing.T) {
	c := start(t, opts{folders: []string{sample(t, "ticketdesk")}})
	c.waitFor("create", func(e event) bool { return e.method == "window/workDoneProgress/create" })
	begin := c.waitFor("begin", func(e event) bool {
		return e.method == "$/progress" && strings.Contains(string(e.params), "Loading connector workspace")
	})
	_ = begin
	c.waitFor("end", func(e event) bool {
		return e.method == "$/progress" && strings.Contains(string(e.params), `"kind":"end"`)
	})
}

// TestMultipleRoots: two connectors in two workspace folders, one added
// later.
func TestMultipleRoots(t *testing.T) {
	a, b := sample(t, "ticketdesk"), sample(t, "broken")
	c := start(t, opts{folders: []string{a}})
	c.waitFor("the first analysis", func(e event) bool { return e.method == "$/progress" && strings.Contains(string(e.params), `"end"`) })
	c.notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{
		"added": []any{map[string]any{"uri": string(uri.File(b)), "name": "broken"}}, "removed": []any{}}})
	c.diagnostics(0, filepath.Join(b, "Customer.connid.schema.groovy"), func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "connid-name") })
}

// TestRobustness: malformed messages, unknown methods, unknown files and
// documents that are not DSL never bring the server down.
func TestRobustness(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}})
	// A frame that is not JSON, and a valid frame after it.
	c.stdin.Write([]byte("Content-Length: 9\r\n\r\n{not json"))
	var res json.RawMessage
	err := c.call("connls/noSuchMethod", map[string]any{}, &res)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown method: %v", err)
	}
	c.notify("connls/noSuchNotification", map[string]any{})
	// Requests about files the server does not know.
	for _, m := range []string{"textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/documentSymbol", "textDocument/references"} {
		p := map[string]any{"textDocument": map[string]any{"uri": "file:///nowhere/X.groovy"}, "position": map[string]any{"line": 3, "character": 1},
			"context": map[string]any{"includeDeclaration": true}}
		if err := c.call(m, p, nil); err != nil {
			t.Errorf("%s on an unknown file: %v", m, err)
		}
	}
	// Wrong params.
	if err := c.call("textDocument/hover", map[string]any{"textDocument": 42}, nil); err == nil {
		t.Error("malformed params must get an error")
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": []any{"nonsense"}}, nil); err == nil {
		t.Error("bad command arguments must get an error")
	}
	// A document that is not DSL, and a Groovy file full of garbage.
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("hello"), 0o644)
	c.open(notes)
	garbage := filepath.Join(dir, "Garbage.native.schema.groovy")
	os.WriteFile(garbage, []byte("objectClass(\"G\" { \"\"\" ${{{ ) ] } /* \x00\xff"), 0o644)
	c.open(garbage)
	c.diagnostics(0, garbage, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "syntax") })
	// Still serving.
	var hover json.RawMessage
	if err := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(filepath.Join(dir, "User.connid.schema.groovy")))},
		"position": map[string]any{"line": 1, "character": 29}}, &hover); err != nil || !strings.Contains(string(hover), "User.id") {
		t.Errorf("hover after the garbage: %s %v", hover, err)
	}
	if code := c.shutdown(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}
