package lsp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/connls/connls/lsp"
	"github.com/connls/connls/workspace"
)

// The end-to-end tests start the real connls binary and talk to it over
// its stdin and stdout, as an editor does.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "connls-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "connls")
	args := []string{"build", "-o", binary + ".linked"}
	if os.Getenv("CONNLS_E2E_RACE") != "" {
		// The server under the race detector; with GORACE=halt_on_error=1
		// a race ends it, and the test that drove it fails.
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "../cmd/connls")...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic(err)
	}
	// Run a copy, as an installed binary runs: straight after the
	// linker wrote it through mmap, the page cache holds the file so that
	// every run maps some 17 MB more of it, which the benchmarks' peak
	// RSS would count (see bench/runner's installCopy).
	linked, err := os.ReadFile(binary + ".linked")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(binary, linked, 0o755); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		return m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// event is something the server sent, in arrival order.
type event struct {
	method string
	params json.RawMessage
}

// client is a scripted editor.
type client struct {
	t      testing.TB
	conn   jsonrpc2.Conn
	stdin  io.WriteCloser
	stderr *lockedWriter
	// exit waits for the server to end and returns its exit code; pid is
	// the server process's, 0 when it runs in this process.
	exit func() (int, error)
	pid  int

	mu     sync.Mutex
	cond   *sync.Cond
	events []event
	docs   map[string]*doc // by URI
	// onApplyEdit decides the answer to workspace/applyEdit; the default
	// applies the edit when its versions match, as VS Code does.
	onApplyEdit func(p *protocol.ApplyWorkspaceEditParams) *protocol.ApplyWorkspaceEditResult
	// onMessageRequest answers window/showMessageRequest; the default
	// dismisses the question (no answer).
	onMessageRequest func(p *protocol.ShowMessageRequestParams) *protocol.MessageActionItem
}

type doc struct {
	version int32
	text    string
}

type opts struct {
	env      []string
	args     []string       // more flags for connls serve
	caps     map[string]any // client capabilities as JSON
	folders  []string
	noFolder bool
	// binary runs the built connls serve instead of the server in this
	// process; env and args imply it.
	binary bool
}

// defaultCaps are the capabilities of a capable editor (VS Code).
func defaultCaps() map[string]any {
	return map[string]any{
		"window": map[string]any{"workDoneProgress": true},
		"workspace": map[string]any{
			"applyEdit":             true,
			"workspaceEdit":         map[string]any{"documentChanges": true, "resourceOperations": []string{"create", "rename", "delete"}},
			"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
			"workspaceFolders":      true,
		},
		"textDocument": map[string]any{
			"hover":          map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
			"codeAction":     map[string]any{"resolveSupport": map[string]any{"properties": []string{"edit"}}, "dataSupport": true},
			"documentSymbol": map[string]any{"hierarchicalDocumentSymbolSupport": true},
		},
	}
}

// start launches a server and initializes it.
func start(t testing.TB, o opts) *client {
	t.Helper()
	var c *client
	if o.binary || len(o.env) > 0 || len(o.args) > 0 {
		c = launch(t, o.env, o.args...)
	} else {
		c = launchInProcess(t)
	}
	c.initialize(o)
	return c
}

// newClient connects a scripted editor to a server's streams.
func newClient(t testing.TB, in io.ReadCloser, out io.WriteCloser, stderr *lockedWriter) *client {
	c := &client{t: t, stdin: out, stderr: stderr, docs: map[string]*doc{}}
	c.cond = sync.NewCond(&c.mu)
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(rwc{in, out}), jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), c.handle)
	return c
}

// launchInProcess runs the server in this process over a pair of pipes,
// so that the race detector sees both ends.
func launchInProcess(t testing.TB) *client {
	t.Helper()
	serverIn, clientOut := newBufferedPipe()
	clientIn, serverOut := newBufferedPipe()
	stderr := &lockedWriter{w: &strings.Builder{}}
	logger := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(stderr), zapcore.DebugLevel))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- lsp.Serve(ctx, rwc{serverIn, serverOut}, lsp.Options{Logger: logger, Version: "test"})
	}()
	c := newClient(t, clientIn, clientOut, stderr)
	var code int
	var once sync.Once
	c.exit = func() (int, error) {
		once.Do(func() {
			select {
			case code = <-done:
			case <-time.After(10 * time.Second):
				code = -1
			}
		})
		if code == -1 {
			return code, errors.New("the server did not exit")
		}
		return code, nil
	}
	t.Cleanup(func() {
		c.conn.Close()
		cancel()
		c.exit()
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	return c
}

// bufferedPipe is an in-memory pipe whose writes never wait for a reader,
// like an OS pipe with an unbounded buffer. (jsonrpc2 answers requests
// from its read loop; over io.Pipe, which has no buffer, the two read
// loops can each wait for the other to read.)
type bufferedPipe struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    []byte
	closed bool
}

func newBufferedPipe() (*bufferedPipeEnd, *bufferedPipeEnd) {
	p := &bufferedPipe{}
	p.cond = sync.NewCond(&p.mu)
	return &bufferedPipeEnd{p}, &bufferedPipeEnd{p}
}

type bufferedPipeEnd struct{ p *bufferedPipe }

func (e *bufferedPipeEnd) Read(b []byte) (int, error) {
	p := e.p
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.buf) == 0 && !p.closed {
		p.cond.Wait()
	}
	if len(p.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	return n, nil
}

func (e *bufferedPipeEnd) Write(b []byte) (int, error) {
	p := e.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, io.ErrClosedPipe
	}
	p.buf = append(p.buf, b...)
	p.cond.Broadcast()
	return len(b), nil
}

func (e *bufferedPipeEnd) Close() error {
	p := e.p
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.cond.Broadcast()
	return nil
}

// launch starts a server process and connects to it.
func launch(t testing.TB, env []string, extra ...string) *client {
	t.Helper()
	args := append([]string{"serve", "--log-level", "debug"}, extra...)
	if p := os.Getenv("CONNLS_BENCH_CPUPROFILE"); p != "" {
		args = append(args, "--cpuprofile", p)
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedWriter{w: &strings.Builder{}}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, stdout, stdin, stderr)
	c.pid = cmd.Process.Pid
	var once sync.Once
	var waitErr error
	c.exit = func() (int, error) {
		once.Do(func() { waitErr = cmd.Wait() })
		if ee, ok := waitErr.(*exec.ExitError); ok {
			return ee.ExitCode(), nil
		}
		return 0, waitErr
	}
	t.Cleanup(func() {
		c.conn.Close()
		cmd.Process.Signal(os.Interrupt)
		time.AfterFunc(2*time.Second, func() { cmd.Process.Kill() })
		c.exit()
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	return c
}

// initialize runs the initialize handshake.
func (c *client) initialize(o opts) {
	t := c.t
	t.Helper()
	if o.caps == nil {
		o.caps = defaultCaps()
	}
	params := map[string]any{"processId": os.Getpid(), "capabilities": o.caps, "clientInfo": map[string]any{"name": "e2e"}}
	if !o.noFolder {
		var folders []map[string]any
		for _, f := range o.folders {
			folders = append(folders, map[string]any{"uri": string(uri.File(f)), "name": filepath.Base(f)})
		}
		params["workspaceFolders"] = folders
		if len(o.folders) > 0 {
			params["rootUri"] = string(uri.File(o.folders[0]))
		}
	}
	var res json.RawMessage
	if err := c.call("initialize", params, &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := c.conn.Notify(context.Background(), "initialized", map[string]any{}); err != nil {
		t.Fatal(err)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

type rwc struct {
	io.ReadCloser
	io.WriteCloser
}

func (r rwc) Close() error {
	r.WriteCloser.Close()
	return r.ReadCloser.Close()
}

func (c *client) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	var out jsonrpc2.RawMessage
	if _, err := c.conn.Call(ctx, method, jsonrpc2.RawMessage(raw), &out); err != nil {
		return err
	}
	if result != nil && len(out) > 0 {
		if raw, ok := result.(*json.RawMessage); ok {
			*raw = append(json.RawMessage(nil), out...)
			return nil
		}
		// Protocol types need the protocol's union-aware decoder; the
		// tests' own structs are plain JSON.
		t := reflect.TypeOf(result).Elem()
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.PkgPath() == "go.lsp.dev/protocol" {
			return protocol.Unmarshal(out, result)
		}
		return json.Unmarshal(out, result)
	}
	return nil
}

func (c *client) notify(method string, params any) {
	raw, err := json.Marshal(params)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.conn.Notify(context.Background(), method, jsonrpc2.RawMessage(raw)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) notifyFromHandler(method string, params any) {
	raw, _ := json.Marshal(params)
	if err := c.conn.Notify(context.Background(), method, jsonrpc2.RawMessage(raw)); err != nil {
		c.t.Logf("%s: %v", method, err)
	}
}

// handle answers the server's requests and records everything it sends.
func (c *client) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := strings.Clone(req.Method()) // borrowed from the read buffer
	params := append(json.RawMessage(nil), req.Params()...)
	var result any
	switch method {
	case "workspace/applyEdit":
		var p protocol.ApplyWorkspaceEditParams
		if err := protocol.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		c.mu.Lock()
		decide := c.onApplyEdit
		c.mu.Unlock()
		if decide != nil {
			result = decide(&p)
		} else {
			result = c.applyEdit(&p)
		}
	case "workspace/configuration":
		result = []any{}
	case "window/showMessageRequest":
		var p protocol.ShowMessageRequestParams
		if err := protocol.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		c.mu.Lock()
		decide := c.onMessageRequest
		c.mu.Unlock()
		if decide != nil {
			if item := decide(&p); item != nil {
				result = item
			}
		}
	}
	c.mu.Lock()
	c.events = append(c.events, event{method, params})
	c.cond.Broadcast()
	c.mu.Unlock()
	if req.IsCall() && result == nil {
		return nil, nil
	}
	return result, nil
}

// applyEdit applies a workspace edit to the client's open documents,
// refusing it when a document's version does not match, and tells the
// server of the changed documents, as VS Code does.
func (c *client) applyEdit(p *protocol.ApplyWorkspaceEditParams) *protocol.ApplyWorkspaceEditResult {
	res, changed := c.applyEditLocked(p)
	for _, u := range changed {
		c.mu.Lock()
		d := c.docs[u]
		v, text := d.version, d.text
		c.mu.Unlock()
		// Before the answer, as VS Code does; from the connection's
		// goroutine, so errors are logged, not fatal.
		c.notifyFromHandler("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": u, "version": v},
			"contentChanges": []any{map[string]any{"text": text}},
		})
	}
	return res
}

func (c *client) applyEditLocked(p *protocol.ApplyWorkspaceEditParams) (*protocol.ApplyWorkspaceEditResult, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var changed []string
	for _, ch := range p.Edit.DocumentChanges {
		te, ok := ch.(*protocol.TextDocumentEdit)
		if !ok {
			continue
		}
		d := c.docs[string(te.TextDocument.URI)]
		if d != nil && te.TextDocument.Version != nil && *te.TextDocument.Version != d.version {
			reason := fmt.Sprintf("version %d, document is at %d", *te.TextDocument.Version, d.version)
			return &protocol.ApplyWorkspaceEditResult{Applied: false, FailureReason: &reason}, nil
		}
	}
	for _, ch := range p.Edit.DocumentChanges {
		switch ch := ch.(type) {
		case *protocol.CreateFile:
			path := ch.URI.FsPath()
			if _, err := os.Stat(path); err == nil {
				reason := "exists"
				return &protocol.ApplyWorkspaceEditResult{Applied: false, FailureReason: &reason}, changed
			}
			os.WriteFile(path, nil, 0o644)
		case *protocol.TextDocumentEdit:
			key := string(ch.TextDocument.URI)
			path := ch.TextDocument.URI.FsPath()
			d := c.docs[key]
			text := ""
			if d != nil {
				text = d.text
			} else {
				b, _ := os.ReadFile(path)
				text = string(b)
			}
			var changes []workspace.Change
			for _, e := range ch.Edits {
				var te *protocol.TextEdit
				switch e := e.(type) {
				case *protocol.TextEdit:
					te = e
				case *protocol.AnnotatedTextEdit:
					// The user confirmed it (tests that refuse one
					// answer the applyEdit themselves).
					te = &e.TextEdit
				}
				r := workspace.Range{Start: workspace.Pos{Line: int(te.Range.Start.Line), Col: int(te.Range.Start.Character)},
					End: workspace.Pos{Line: int(te.Range.End.Line), Col: int(te.Range.End.Character)}}
				changes = append(changes, workspace.Change{Range: &r, Text: te.NewText})
			}
			// LSP edits refer to the original text: apply from the end.
			for i := len(changes) - 1; i >= 0; i-- {
				b, _ := workspace.ApplyChanges([]byte(text), changes[i:i+1])
				text = string(b)
			}
			if d != nil {
				d.version++
				d.text = text
				changed = append(changed, key)
			} else {
				os.WriteFile(path, []byte(text), 0o644)
			}
		}
	}
	return &protocol.ApplyWorkspaceEditResult{Applied: true}, changed
}

// waitFor waits until an event satisfies pred and returns it.
func (c *client) waitFor(what string, pred func(event) bool) event {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	timer := time.AfterFunc(15*time.Second, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := 0
	for {
		for ; seen < len(c.events); seen++ {
			if pred(c.events[seen]) {
				return c.events[seen]
			}
		}
		if time.Now().After(deadline) {
			var methods []string
			for _, e := range c.events {
				methods = append(methods, e.method)
			}
			c.t.Fatalf("timed out waiting for %s; got %v", what, methods)
		}
		c.cond.Wait()
	}
}

// mark returns the number of events so far, to wait for later ones.
func (c *client) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// diagnostics waits for a publishDiagnostics of a file after mark that
// satisfies pred.
func (c *client) diagnostics(after int, path string, pred func(protocol.PublishDiagnosticsParams) bool) protocol.PublishDiagnosticsParams {
	c.t.Helper()
	var got protocol.PublishDiagnosticsParams
	n := 0
	c.waitFor("diagnostics of "+filepath.Base(path), func(e event) bool {
		n++
		if n <= after || e.method != "textDocument/publishDiagnostics" {
			return false
		}
		var p protocol.PublishDiagnosticsParams
		if protocol.Unmarshal(e.params, &p) != nil || p.URI.FsPath() != path {
			return false
		}
		if pred(p) {
			got = p
			return true
		}
		return false
	})
	return got
}

func codes(p protocol.PublishDiagnosticsParams) []string {
	var out []string
	for _, d := range p.Diagnostics {
		if s, ok := d.Code.(protocol.String); ok {
			out = append(out, string(s))
		}
	}
	return out
}

func hasCode(p protocol.PublishDiagnosticsParams, code string) bool {
	for _, c := range codes(p) {
		if c == code {
			return true
		}
	}
	return false
}

func (c *client) open(path string) {
	text, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	u := string(uri.File(path))
	c.mu.Lock()
	c.docs[u] = &doc{version: 1, text: string(text)}
	c.mu.Unlock()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "groovy", "version": 1, "text": string(text)}})
}

// edit replaces text in an open document (the first occurrence of old)
// and sends the incremental change; it returns the new version.
func (c *client) edit(path, old, new string) int32 {
	c.t.Helper()
	u := string(uri.File(path))
	c.mu.Lock()
	d := c.docs[u]
	i := strings.Index(d.text, old)
	if i < 0 {
		c.mu.Unlock()
		c.t.Fatalf("%q not in %s", old, path)
	}
	l := workspace.NewLines([]byte(d.text))
	r := l.Range(i, i+len(old))
	d.text = d.text[:i] + new + d.text[i+len(old):]
	d.version++
	v := d.version
	c.mu.Unlock()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": v},
		"contentChanges": []any{map[string]any{"range": r, "text": new}},
	})
	return v
}

func (c *client) text(path string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[string(uri.File(path))].text
}

func (c *client) shutdown() int {
	c.t.Helper()
	if err := c.call("shutdown", nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
	c.notify("exit", nil)
	code, err := c.exit()
	if err != nil {
		c.t.Fatal(err)
	}
	return code
}

// copyDir copies a sample workspace into a temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
