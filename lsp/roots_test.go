package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"
)

// TestOpenOutsideWorkspace: a file opened outside every workspace folder
// is analysed alone, at once; nothing around it is scanned.
func TestOpenOutsideWorkspace(t *testing.T) {
	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "User.native.schema.groovy"), []byte("objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n"), 0o644)
	c := startInProcess(t, ws)

	// "Home": many scripts, one of them broken, and no manifest. Opening
	// a file there must not read them.
	home := t.TempDir()
	for i := range 300 {
		dir := filepath.Join(home, fmt.Sprintf("project%d", i/30))
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("S%d.search.groovy", i)), []byte("objectClass(\"S\") { search { endpoint(\"/s\") } }\n"), 0o644)
	}
	broken := filepath.Join(home, "Broken.native.schema.groovy")
	os.WriteFile(broken, []byte("objectClass(\"B\" {\n"), 0o644)

	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, p := range []string{"/x.groovy", filepath.Join(home, "scratch.groovy")} {
		start := time.Now()
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": string(uri.File(p)), "languageId": "groovy", "version": 1, "text": "objectClass(\"Lone\" {\n"}})
		c.alive()
		took := time.Since(start)
		t.Logf("didOpen %s: answered in %v", p, took)
		if took > 2*time.Second {
			t.Errorf("didOpen %s held the server for %v", p, took)
		}
		// Analysed on its own: its syntax error is reported.
		c.wait("diagnostics of "+p, 10*time.Second, func(m map[string]json.RawMessage) bool {
			return isDiagnosticsOf(m, p) && strings.Contains(string(m["params"]), "syntax")
		})
	}
	// A relative file URI names no file and is ignored.
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "file:x.groovy", "languageId": "groovy", "version": 1, "text": "x"}})
	c.alive()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 64<<20 {
		t.Errorf("opening two files outside the workspace took %d MB", grown>>20)
	}
	// Edit the lone file: once its new diagnostics are in, the broken
	// neighbour would have been reported if it had been read.
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": string(uri.File("/x.groovy")), "version": 2},
		"contentChanges": []any{map[string]any{"text": "objectClass(\"Lone\") {}\n"}}})
	c.wait("the new diagnostics of /x.groovy", 10*time.Second, func(m map[string]json.RawMessage) bool {
		return isDiagnosticsOf(m, "/x.groovy") && !strings.Contains(string(m["params"]), "syntax")
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.msgs {
		if isDiagnosticsOf(m, broken) {
			t.Errorf("a file beside the opened one was read: %s", m["params"])
		}
	}
}

// TestOpenInConnectorFolder: a file opened outside the workspace folders
// but inside a connector (a manifest two levels up) is analysed with that
// connector, read in the background.
func TestOpenInConnectorFolder(t *testing.T) {
	c := startInProcess(t)
	conn := t.TempDir()
	os.WriteFile(filepath.Join(conn, "connector.manifest.json"), []byte(`{"connector":{"schema":[{"script":"/User.native.schema.groovy"}],"operation":[]}}`), 0o644)
	os.WriteFile(filepath.Join(conn, "User.native.schema.groovy"), []byte("objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n"), 0o644)
	opened := filepath.Join(conn, "scripts", "more", "User.search.groovy")
	os.MkdirAll(filepath.Dir(opened), 0o755)
	os.WriteFile(opened, nil, 0o644)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": string(uri.File(opened)), "languageId": "groovy", "version": 1, "text": "objectClass(\"User\") { search { endpoint(\"/users\") } }\n"}})
	c.alive()
	// Known to the connector: the manifest does not list it.
	c.wait("manifest-unlisted on the opened file", 10*time.Second, func(m map[string]json.RawMessage) bool {
		return isDiagnosticsOf(m, opened) && strings.Contains(string(m["params"]), "manifest-unlisted")
	})
}

func isDiagnosticsOf(m map[string]json.RawMessage, path string) bool {
	if string(m["method"]) != `"textDocument/publishDiagnostics"` {
		return false
	}
	var p struct{ URI string }
	json.Unmarshal(m["params"], &p)
	return p.URI == string(uri.File(path))
}

// TestLargeDocumentReadAside: a document above the size limit opened in
// the editor is read in the background; a request right after it is
// answered, and the document's findings come once it is read.
func TestLargeDocumentReadAside(t *testing.T) {
	old := largeDocument
	largeDocument = 64 << 10
	defer func() { largeDocument = old }()
	ws := t.TempDir()
	script := filepath.Join(ws, "User.native.schema.groovy")
	os.WriteFile(script, []byte("objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n"), 0o644)
	c := startInProcess(t, ws)
	doc := filepath.Join(ws, "docs", "broken.json")
	text := `{"openapi": "3.0.0", "paths": {"/x": {"get": }},` + "\n" + `"pad": "` + strings.Repeat("x", 1<<20) + `"}`
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(doc)), "languageId": "json", "version": 1, "text": text}})
	res := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(script))}, "position": map[string]any{"line": 1, "character": 17}})
	if res["error"] != nil {
		t.Fatalf("hover: %s", res["error"])
	}
	c.wait("doc-error on the large document", 20*time.Second, func(m map[string]json.RawMessage) bool {
		return isDiagnosticsOf(m, doc) && strings.Contains(string(m["params"]), "doc-error")
	})
}
