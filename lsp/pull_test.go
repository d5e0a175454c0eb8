package lsp_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// pullCaps are VS Code's: pull diagnostics with refresh support.
func pullCaps() map[string]any {
	caps := defaultCaps()
	caps["textDocument"].(map[string]any)["diagnostic"] = map[string]any{"relatedDocumentSupport": false}
	caps["workspace"].(map[string]any)["diagnostics"] = map[string]any{"refreshSupport": true}
	return caps
}

// puller pulls diagnostics as vscode-languageclient does: with the
// previous result id, and again for every open document on refresh.
type puller struct {
	c       *client
	results map[string]string   // last result id by path
	items   map[string][]string // last codes by path
}

func newPuller(c *client) *puller {
	p := &puller{c: c, results: map[string]string{}, items: map[string][]string{}}
	return p
}

// pull asks for one document's diagnostics and returns their codes.
func (p *puller) pull(path string) []string {
	p.c.t.Helper()
	params := map[string]any{"textDocument": map[string]any{"uri": string(uri.File(path))}}
	p.c.mu.Lock()
	if id := p.results[path]; id != "" {
		params["previousResultId"] = id
	}
	p.c.mu.Unlock()
	var report struct {
		Kind     string
		ResultID string
		Items    []struct{ Code string }
	}
	if err := p.c.call("textDocument/diagnostic", params, &report); err != nil {
		p.c.t.Fatalf("pull %s: %v", filepath.Base(path), err)
	}
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	p.results[path] = report.ResultID
	if report.Kind == "full" {
		var codes []string
		for _, it := range report.Items {
			codes = append(codes, it.Code)
		}
		p.items[path] = codes
	} else if report.Kind != "unchanged" {
		p.c.t.Errorf("report kind %q", report.Kind)
	}
	return p.items[path]
}

// count returns how many times the server sent method after mark.
func (c *client) count(mark int, method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.events[mark:] {
		if e.method == method {
			n++
		}
	}
	return n
}

// answerRefreshes re-pulls the open documents on every refresh, as VS
// Code does, until the test ends.
func (p *puller) answerRefreshes(paths ...string) {
	done := make(chan struct{})
	p.c.t.Cleanup(func() { close(done) })
	go func() {
		seen := p.c.mark()
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			n := p.c.mark()
			if p.c.count(seen, "workspace/diagnostic/refresh") > 0 {
				for _, path := range paths {
					p.pull(path)
				}
			}
			seen = n
		}
	}()
}

// TestPullIdleSendsNoRefresh: a client that pulls again on every
// refresh, with two documents open, sees no refresh while the user does
// nothing. (Each pull used to start an analysis, and each analysis to ask
// for a refresh: about twenty rounds a second, for ever.)
func TestPullIdleSendsNoRefresh(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}, caps: pullCaps()})
	native, connid := filepath.Join(dir, "Customer.native.schema.groovy"), filepath.Join(dir, "Customer.connid.schema.groovy")
	p := newPuller(c)
	p.answerRefreshes(native, connid)
	c.open(native)
	c.open(connid)
	p.pull(native)
	if got := p.pull(connid); !slices.Contains(got, "connid-name") {
		t.Fatalf("connid findings: %v", got)
	}
	m := c.mark()
	time.Sleep(1500 * time.Millisecond)
	if n := c.count(m, "workspace/diagnostic/refresh"); n != 0 {
		t.Errorf("%d refreshes while idle", n)
	}
}

// TestPullRefreshOnlyWhenNeeded: an edit that changes only the edited
// document's findings needs no refresh (the client pulls that document
// itself); one that changes another open document's findings needs
// exactly one.
func TestPullRefreshOnlyWhenNeeded(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}, caps: pullCaps()})
	native, connid := filepath.Join(dir, "Customer.native.schema.groovy"), filepath.Join(dir, "Customer.connid.schema.groovy")
	p := newPuller(c)
	c.open(native)
	c.open(connid)
	p.pull(native)
	p.pull(connid)

	m := c.mark()
	c.edit(connid, `"emial"`, `"email"`)
	if got := p.pull(connid); slices.Contains(got, "mapped-attribute-missing") {
		t.Fatalf("after fixing the mapping: %v", got)
	}
	time.Sleep(500 * time.Millisecond)
	if n := c.count(m, "workspace/diagnostic/refresh"); n != 0 {
		t.Errorf("%d refreshes for an edit that changed only the edited document", n)
	}

	m = c.mark()
	c.edit(native, `attribute("email")`, `attribute("mail")`)
	p.pull(native)
	c.waitFor("a refresh", func(e event) bool { return e.method == "workspace/diagnostic/refresh" })
	if got := p.pull(connid); !slices.Contains(got, "mapped-attribute-missing") {
		t.Errorf("connid after the attribute was renamed: %v", got)
	}
	time.Sleep(500 * time.Millisecond)
	if n := c.count(m, "workspace/diagnostic/refresh"); n != 1 {
		t.Errorf("%d refreshes for an edit that changed another open document, want 1", n)
	}
}

// TestPullAndPushNeverBoth: a document's diagnostics are pushed while it
// is closed and pulled while it is open; opening it clears what was
// pushed (vscode-languageclient would show both), and closing it pushes
// again.
func TestPullAndPushNeverBoth(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}, caps: pullCaps()})
	connid := filepath.Join(dir, "Customer.connid.schema.groovy")
	c.diagnostics(0, connid, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "connid-name") })

	m := c.mark()
	c.open(connid)
	cleared := c.diagnostics(m, connid, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 })
	if _, ok := cleared.Version.Get(); ok {
		t.Error("the clearing publish should not carry the document's version")
	}
	p := newPuller(c)
	if got := p.pull(connid); !slices.Contains(got, "connid-name") {
		t.Errorf("pulled: %v", got)
	}
	c.edit(connid, `"emial"`, `"email"`)
	p.pull(connid)
	time.Sleep(300 * time.Millisecond)
	c.mu.Lock()
	for _, e := range c.events[m:] {
		var pd protocol.PublishDiagnosticsParams
		if e.method == "textDocument/publishDiagnostics" && protocol.Unmarshal(e.params, &pd) == nil && pd.URI.FsPath() == connid && len(pd.Diagnostics) > 0 {
			t.Errorf("an open document was pushed: %s", e.params)
		}
	}
	c.mu.Unlock()

	m = c.mark()
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(connid))}})
	// Closed, the file on disk counts again: its mapping is still wrong.
	got := c.diagnostics(m, connid, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) > 0 })
	if !hasCode(got, "connid-name") {
		t.Errorf("pushed after close: %v", codes(got))
	}
}

// TestPullUnchanged: a pull with the result id of the current findings
// is answered "unchanged".
func TestPullUnchanged(t *testing.T) {
	dir := sample(t, "broken")
	c := start(t, opts{folders: []string{dir}, caps: pullCaps()})
	native := filepath.Join(dir, "Customer.native.schema.groovy")
	c.open(native)
	p := newPuller(c)
	first := p.pull(native)
	var report json.RawMessage
	if err := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(native))},
		"previousResultId": p.results[native]}, &report); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), `"unchanged"`) {
		t.Errorf("second pull: %s", report)
	}
	if len(first) == 0 {
		t.Error("no findings pulled")
	}
}
