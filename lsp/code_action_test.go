package lsp_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

type action struct {
	Title   string          `json:"title"`
	Kind    string          `json:"kind"`
	Edit    json.RawMessage `json:"edit"`
	Data    json.RawMessage `json:"data"`
	Command *struct {
		Command   string            `json:"command"`
		Arguments []json.RawMessage `json:"arguments"`
	} `json:"command"`
}

func (c *client) codeActions(path string, line, col int, only ...string) []action {
	c.t.Helper()
	params := map[string]any{
		"textDocument": map[string]any{"uri": string(uri.File(path))},
		"range":        map[string]any{"start": map[string]any{"line": line, "character": col}, "end": map[string]any{"line": line, "character": col}},
		"context":      map[string]any{"diagnostics": []any{}},
	}
	if len(only) > 0 {
		params["context"].(map[string]any)["only"] = only
	}
	var actions []action
	var raw json.RawMessage
	if err := c.call("textDocument/codeAction", params, &raw); err != nil {
		c.t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &actions); err != nil {
		c.t.Fatal(err)
	}
	return actions
}

// TestQuickFixResolvedLazily: a quick fix comes without its edit; resolve
// computes it, versioned.
func TestQuickFixResolvedLazily(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}})
	path := filepath.Join(dir, "Customer.native.schema.groovy")
	c.open(path)
	c.diagnostics(0, path, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "unknown-dsl") })
	actions := c.codeActions(path, 4, 10)
	var fix *action
	for i := range actions {
		if actions[i].Title == `Change to updateable` {
			fix = &actions[i]
		}
	}
	if fix == nil || fix.Kind != "quickfix" || len(fix.Edit) != 0 || len(fix.Data) == 0 {
		t.Fatalf("quick fix: %+v in %+v", fix, actions)
	}
	var resolved struct {
		Edit struct {
			DocumentChanges []struct {
				TextDocument struct {
					Version *int `json:"version"`
				} `json:"textDocument"`
				Edits []struct {
					NewText string `json:"newText"`
				} `json:"edits"`
			} `json:"documentChanges"`
		} `json:"edit"`
	}
	if err := c.call("codeAction/resolve", fix, &resolved); err != nil {
		t.Fatal(err)
	}
	dc := resolved.Edit.DocumentChanges
	if len(dc) != 1 || dc[0].TextDocument.Version == nil || *dc[0].TextDocument.Version != 1 || dc[0].Edits[0].NewText != "updateable" {
		t.Fatalf("resolved edit: %+v", resolved)
	}
	// After an edit, the data is stale: resolve says the content changed.
	c.edit(path, "jsonType \"decimal\"", "jsonType \"number\"")
	err := c.call("codeAction/resolve", fix, nil)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeContentModified {
		t.Errorf("stale resolve: %v", err)
	}
}

// TestQuickFixEagerWithoutResolveSupport: a client without resolve gets
// the edit right away.
func TestQuickFixEagerWithoutResolveSupport(t *testing.T) {
	dir := sample(t, "broken")
	caps := defaultCaps()
	delete(caps["textDocument"].(map[string]any), "codeAction")
	c := start(t, opts{folders: []string{dir}, caps: caps})
	path := filepath.Join(dir, "Invoice.connid.schema.groovy")
	actions := c.codeActions(path, 1, 25)
	for _, a := range actions {
		if a.Title == "Insert the missing comma" {
			if !strings.Contains(string(a.Edit), `"newText":","`) {
				t.Errorf("edit: %s", a.Edit)
			}
			return
		}
	}
	t.Fatalf("no comma fix in %+v", actions)
}

// TestGenerateUpdate runs "Generate update operation" end to end:
// progress in order, then one versioned applyEdit creating the file and
// listing it in the manifest, then a record; a second run changes
// nothing.
func TestGenerateUpdate(t *testing.T) {
	dir := sample(t, "ticketdesk")
	os.Remove(filepath.Join(dir, "Group.update.op.groovy"))
	manifest := filepath.Join(dir, "connector.manifest.json")
	text, _ := os.ReadFile(manifest)
	os.WriteFile(manifest, []byte(strings.Replace(string(text), `      { "script": "/Group.update.op.groovy" }`, `      { "script": "/Group.search.groovy" }`, 1)), 0o644)
	c := start(t, opts{folders: []string{dir}})
	native := filepath.Join(dir, "Group.native.schema.groovy")
	c.open(native)
	c.open(manifest)
	var gen *action
	for _, a := range c.codeActions(native, 3, 5, "source") {
		if strings.HasPrefix(a.Title, "Generate update operation for Group") {
			gen = &a
		}
	}
	if gen == nil || gen.Command == nil || gen.Command.Command != "connls.generate" {
		t.Fatalf("no generate action")
	}
	m := c.mark()
	var out struct {
		Status  string `json:"status"`
		Applied bool   `json:"applied"`
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": gen.Command.Command, "arguments": gen.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "created" || !out.Applied {
		t.Fatalf("outcome %+v", out)
	}
	// The order: create, begin, report(s), applyEdit, end.
	var seq []string
	c.mu.Lock()
	for _, e := range c.events[m:] {
		switch {
		case e.method == "window/workDoneProgress/create":
			seq = append(seq, "create")
		case e.method == "$/progress":
			var p struct {
				Value struct{ Kind string } `json:"value"`
			}
			json.Unmarshal(e.params, &p)
			if len(seq) == 0 || seq[len(seq)-1] != p.Value.Kind {
				seq = append(seq, p.Value.Kind)
			}
		case e.method == "workspace/applyEdit":
			seq = append(seq, "applyEdit")
			s := string(e.params)
			if !strings.Contains(s, `"kind":"create"`) || !strings.Contains(s, "Group.update.op.groovy") || !strings.Contains(s, `"version":1`) {
				t.Errorf("applyEdit: %s", s)
			}
		}
	}
	c.mu.Unlock()
	if strings.Join(seq, " ") != "create begin report applyEdit end" {
		t.Errorf("sequence: %v", seq)
	}
	if got := c.text(manifest); !strings.Contains(got, `{ "script": "/Group.update.op.groovy" }`) {
		t.Errorf("manifest not updated:\n%s", got)
	}
	created, _ := os.ReadFile(filepath.Join(dir, "Group.update.op.groovy"))
	if !strings.Contains(string(created), `endpoint(PUT, "/groups/{id}")`) {
		t.Errorf("created file:\n%s", created)
	}
	if _, err := os.Stat(filepath.Join(dir, ".connls")); err == nil {
		t.Error("generation wrote state beside the connector's sources")
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(filepath.Join(dir, "Group.update.op.groovy"))), "type": 1}}})
	time.Sleep(300 * time.Millisecond)
	if err := c.call("workspace/executeCommand", map[string]any{"command": gen.Command.Command, "arguments": gen.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "unchanged" {
		t.Errorf("second run: %+v", out)
	}
}

// TestCancelGeneration stops a (deliberately slowed) job with
// window/workDoneProgress/cancel and with $/cancelRequest: nothing is
// applied either way.
func TestCancelGeneration(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}, env: []string{"CONNLS_TEST_STEP_DELAY=2s"}})
	args := []any{map[string]any{"class": "User", "kind": "update", "fresh": true}}

	// Cancelled through the progress the client gave.
	done := make(chan error, 1)
	go func() {
		done <- c.call("workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": args, "workDoneToken": "job-1"}, nil)
	}()
	c.waitFor("begin", func(e event) bool { return e.method == "$/progress" && strings.Contains(string(e.params), `"job-1"`) })
	c.notify("window/workDoneProgress/cancel", map[string]any{"token": "job-1"})
	select {
	case err := <-done:
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
			t.Errorf("cancelled job: %v", err)
		}
	case <-time.After(1500 * time.Millisecond):
		t.Fatal("the job did not stop promptly")
	}
	c.waitFor("end", func(e event) bool {
		return e.method == "$/progress" && strings.Contains(string(e.params), `"job-1"`) && strings.Contains(string(e.params), "cancelled")
	})

	// Cancelled through $/cancelRequest: the client gives up the call.
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		ctxCall(t, c, 300*time.Millisecond, "workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": args})
	}()
	wg.Wait()
	c.waitFor("end after $/cancelRequest", func(e event) bool {
		return e.method == "$/progress" && strings.Contains(string(e.params), "cancelled") && !strings.Contains(string(e.params), "job-1")
	})
	if time.Since(start) > 1500*time.Millisecond {
		t.Error("the job did not stop promptly after $/cancelRequest")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.events {
		if e.method == "workspace/applyEdit" {
			t.Error("a cancelled job applied an edit")
		}
	}
}

// TestStaleEditRefused: the user types while a job runs; the client
// refuses an edit computed against the older version, and the server
// reports it and records nothing.
func TestStaleEditRefused(t *testing.T) {
	dir := sample(t, "ticketdesk")
	// The block is hand-written: the edit comes with a change annotation
	// the user confirms, and the user types meanwhile.
	caps := defaultCaps()
	caps["workspace"].(map[string]any)["workspaceEdit"].(map[string]any)["changeAnnotationSupport"] = map[string]any{}
	c := start(t, opts{folders: []string{dir}, caps: caps})
	path := filepath.Join(dir, "Group.update.op.groovy")
	c.open(path)
	c.onApplyEdit = func(p *protocol.ApplyWorkspaceEditParams) *protocol.ApplyWorkspaceEditResult {
		// The user typed just before the edit arrived.
		c.edit(path, "supportedAttributes", "supportedAttributes ")
		return c.applyEdit(p)
	}
	var out struct {
		Status  string `json:"status"`
		Applied bool   `json:"applied"`
	}
	args := []any{map[string]any{"class": "Group", "kind": "update", "fresh": true, "uri": string(uri.File(path))}}
	if err := c.call("workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": args}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Applied {
		t.Fatal("an edit against an old version was applied")
	}
	c.waitFor("a warning", func(e event) bool {
		return e.method == "window/showMessage" && strings.Contains(string(e.params), "did not change Group")
	})
	if _, err := os.Stat(filepath.Join(dir, ".connls")); err == nil {
		t.Error("a refused generation left state beside the sources")
	}
	if !strings.Contains(c.text(path), "supportedAttributes ") {
		t.Error("the user's edit was lost")
	}
}

func ctxCall(t *testing.T, c *client, after time.Duration, method string, params any) error {
	raw, _ := json.Marshal(params)
	ctx, cancel := contextWithTimeout(after)
	defer cancel()
	err := protocol.Call(ctx, c.conn, method, jsonrpc2.RawMessage(raw), nil)
	return err
}

// handWrittenMapping is a User mapping written by hand that disagrees
// with connls on NAME and holds a comment and commented-out code.
const handWrittenMapping = `objectClass("User") {
    // we log in with the email
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "email")
    // connIdAttribute("NAME", "nickname")
}
`

// TestRegenerateHandWritten: "Regenerate connid mapping" over a
// hand-written block proposes, as a change annotation that needs
// confirmation, a change of the one line connls disagrees with; the
// comments stay; nothing is written beside the sources.
func TestRegenerateHandWritten(t *testing.T) {
	dir := sample(t, "ticketdesk")
	path := filepath.Join(dir, "User.connid.schema.groovy")
	os.WriteFile(path, []byte(handWrittenMapping), 0o644)
	caps := defaultCaps()
	caps["workspace"].(map[string]any)["workspaceEdit"].(map[string]any)["changeAnnotationSupport"] = map[string]any{"groupsOnLabel": true}
	c := start(t, opts{folders: []string{dir}, caps: caps})
	c.open(path)
	var regen *action
	for _, a := range c.codeActions(path, 3, 5, "source") {
		if strings.HasPrefix(a.Title, "Regenerate connid mapping for User") {
			regen = &a
		}
	}
	if regen == nil || regen.Command == nil {
		t.Fatal("no regenerate action")
	}
	var out struct {
		Status  string   `json:"status"`
		Applied bool     `json:"applied"`
		Confirm bool     `json:"confirm"`
		Diff    string   `json:"diff"`
		Notes   []string `json:"notes"`
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": regen.Command.Command, "arguments": regen.Command.Arguments}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "proposal" || !out.Confirm || !out.Applied {
		t.Fatalf("outcome %+v", out)
	}
	if !strings.Contains(out.Diff, `-    connIdAttribute("NAME", "email")`) || !strings.Contains(out.Diff, `+    connIdAttribute("NAME", "login")`) {
		t.Errorf("diff:\n%s", out.Diff)
	}
	e := c.waitFor("the annotated edit", func(e event) bool { return e.method == "workspace/applyEdit" })
	if s := string(e.params); !strings.Contains(s, `"needsConfirmation":true`) || !strings.Contains(s, `"annotationId":"connls.handWritten"`) {
		t.Errorf("applyEdit without a confirmation: %s", s)
	}
	want := strings.Replace(handWrittenMapping, `"email")`, `"login")`, 1)
	if got := c.text(path); got != want {
		t.Errorf("after the confirmed change:\n%s\nwant:\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, ".connls")); err == nil {
		t.Error("generation wrote state beside the connector's sources")
	}
}

// TestRegenerateHandWrittenAsks: a client without change annotations is
// asked, with the diff, before hand-written code changes; "Keep mine"
// changes nothing, "Apply" applies it.
func TestRegenerateHandWrittenAsks(t *testing.T) {
	dir := sample(t, "ticketdesk")
	path := filepath.Join(dir, "User.connid.schema.groovy")
	os.WriteFile(path, []byte(handWrittenMapping), 0o644)
	c := start(t, opts{folders: []string{dir}})
	c.open(path)
	var asked []string
	answer := "Keep mine"
	c.onMessageRequest = func(p *protocol.ShowMessageRequestParams) *protocol.MessageActionItem {
		asked = append(asked, p.Message)
		return &protocol.MessageActionItem{Title: answer}
	}
	args := []any{map[string]any{"class": "User", "kind": "connid", "uri": string(uri.File(path))}}
	var out struct {
		Status  string `json:"status"`
		Applied bool   `json:"applied"`
	}
	if err := c.call("workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": args}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Applied || len(asked) != 1 || !strings.Contains(asked[0], `+    connIdAttribute("NAME", "login")`) {
		t.Fatalf("outcome %+v, asked %q", out, asked)
	}
	if c.text(path) != handWrittenMapping {
		t.Fatal("the hand-written code changed though the user kept it")
	}
	// From scratch, applied: connls's block, the comments kept.
	answer = "Apply"
	args = []any{map[string]any{"class": "User", "kind": "connid", "fresh": true, "uri": string(uri.File(path))}}
	if err := c.call("workspace/executeCommand", map[string]any{"command": "connls.generate", "arguments": args}, &out); err != nil {
		t.Fatal(err)
	}
	got := c.text(path)
	if !out.Applied || !strings.Contains(got, "// we log in with the email") || !strings.Contains(got, `// connIdAttribute("NAME", "nickname")`) ||
		!strings.Contains(got, `connIdAttribute("NAME", "login")`) || strings.Contains(got, `"email")`) {
		t.Fatalf("from scratch (%+v):\n%s", out, got)
	}
}
