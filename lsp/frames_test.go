package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/uri"
	"go.uber.org/zap"
)

// The tests of this file run the server in process, over a net.Pipe, and
// talk to it with raw frames: they send what no well-behaved client
// library would send.

// rawClient is a client that writes frames as given and reads every
// frame the server sends. It answers the server's requests with null.
type rawClient struct {
	t    testing.TB
	conn net.Conn
	done chan int // Serve's exit code

	mu     sync.Mutex
	cond   *sync.Cond
	msgs   []map[string]json.RawMessage
	closed bool
	nextID int
}

// startInProcess starts a server in this process and initializes it with
// the given workspace folders.
func startInProcess(t testing.TB, folders ...string) *rawClient {
	t.Helper()
	srv, cli := net.Pipe()
	c := &rawClient{t: t, conn: cli, done: make(chan int, 1)}
	c.cond = sync.NewCond(&c.mu)
	go func() { c.done <- Serve(context.Background(), srv, Options{Debounce: time.Millisecond}) }()
	go c.read()
	t.Cleanup(func() {
		cli.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Error("the server did not stop after the connection closed")
		}
	})
	var fs []map[string]string
	for _, f := range folders {
		fs = append(fs, map[string]string{"uri": string(uri.File(f)), "name": filepath.Base(f)})
	}
	res := c.call("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "workspaceFolders": fs})
	if res["error"] != nil {
		t.Fatalf("initialize: %s", res["error"])
	}
	c.notify("initialized", map[string]any{})
	return c
}

func (c *rawClient) read() {
	r := bufio.NewReader(c.conn)
	for {
		hdr, err := textproto.NewReader(r).ReadMIMEHeader()
		if err != nil {
			break
		}
		n, err := strconv.Atoi(hdr.Get("Content-Length"))
		if err != nil {
			break
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			break
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("the server sent a frame that is not a JSON object: %q", body)
			continue
		}
		if m["method"] != nil && m["id"] != nil {
			go c.send(fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"result":null}`, m["id"]))
			continue
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.cond.Broadcast()
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
}

// sendRaw writes bytes as they are.
func (c *rawClient) sendRaw(b []byte) {
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.conn.Write(b); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

// send writes one frame with the given body.
func (c *rawClient) send(body []byte) {
	c.sendRaw(fmt.Appendf(nil, "Content-Length: %d\r\n\r\n%s", len(body), body))
}

func (c *rawClient) notify(method string, params any) {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	c.send(b)
}

// call sends a request and waits for its response.
func (c *rawClient) call(method string, params any) map[string]json.RawMessage {
	c.mu.Lock()
	c.nextID++
	id := fmt.Sprintf(`"probe-%d"`, c.nextID)
	c.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(id), "method": method, "params": params})
	c.send(b)
	return c.response(id, 10*time.Second)
}

// response waits for the response with the given id (as JSON).
func (c *rawClient) response(id string, timeout time.Duration) map[string]json.RawMessage {
	c.t.Helper()
	m := c.wait("the response "+id, timeout, func(m map[string]json.RawMessage) bool {
		return m["method"] == nil && string(m["id"]) == id
	})
	return m
}

// wait returns the first message that matches, removing it.
func (c *rawClient) wait(what string, timeout time.Duration, match func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for i, m := range c.msgs {
			if match(m) {
				c.msgs = append(c.msgs[:i:i], c.msgs[i+1:]...)
				return m
			}
		}
		if c.closed {
			c.t.Fatalf("the server closed the connection while waiting for %s", what)
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no %s within %v", what, timeout)
		}
		c.cond.Wait()
	}
}

// errorCode returns the error code of a response, or 0.
func errorCode(m map[string]json.RawMessage) int {
	var e struct{ Code int }
	if m["error"] == nil || json.Unmarshal(m["error"], &e) != nil {
		return 0
	}
	return e.Code
}

// alive checks that the server still answers a well-formed request.
func (c *rawClient) alive() {
	c.t.Helper()
	res := c.call("connls/noSuchMethod", map[string]any{})
	if errorCode(res) != -32601 {
		c.t.Fatalf("a well-formed request after the bad one: %v", res)
	}
}

// TestMalformedMessages: each well-formed JSON message that is not valid
// JSON-RPC gets an answer, and the session goes on.
func TestMalformedMessages(t *testing.T) {
	c := startInProcess(t)
	cases := []struct {
		name string
		body string
		code int
		id   string // the id of the answer, as JSON
	}{
		{"no jsonrpc", `{"id":1,"method":"textDocument/hover","params":{}}`, -32600, `1`},
		{"jsonrpc 1.0", `{"jsonrpc":"1.0","id":"a","method":"textDocument/hover"}`, -32600, `"a"`},
		{"object id", `{"jsonrpc":"2.0","id":{"x":1},"method":"textDocument/hover"}`, -32600, `null`},
		{"float id", `{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover"}`, -32600, `null`},
		{"batch", `[{"jsonrpc":"2.0","id":2,"method":"shutdown"}]`, -32600, `null`},
		{"empty batch", `[]`, -32600, `null`},
		{"empty object", `{}`, -32600, `null`},
		{"bare string", `"hello"`, -32600, `null`},
		{"bare number", `42`, -32600, `null`},
		{"null", `null`, -32600, `null`},
		{"numeric method", `{"jsonrpc":"2.0","id":3,"method":42}`, -32600, `3`},
		{"method and result", `{"jsonrpc":"2.0","id":4,"method":"x","result":1}`, -32600, `4`},
		{"response without result", `{"jsonrpc":"2.0","id":5}`, -32600, `null`},
		{"not JSON", `{"jsonrpc":"2.0",`, -32700, `null`},
		{"trailing garbage", `{"jsonrpc":"2.0","id":6,"method":"x"} x`, -32700, `null`},
		{"hover params of the wrong type", `{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":42}}`, -32602, `7`},
		{"params a string", `{"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":"x"}`, -32602, `8`},
	}
	for _, tc := range cases {
		c.send([]byte(tc.body))
		res := c.wait(tc.name+" answer", 10*time.Second, func(m map[string]json.RawMessage) bool {
			return m["method"] == nil && m["error"] != nil
		})
		if got := errorCode(res); got != tc.code || string(res["id"]) != tc.id {
			t.Errorf("%s: answered %s with id %s, want code %d and id %s", tc.name, res["error"], res["id"], tc.code, tc.id)
		}
		c.alive()
	}
	// Notifications that cannot be decoded get no answer, and end nothing.
	for _, body := range []string{
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":[1]}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"x":1}}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":"x"}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":[]}`,
	} {
		c.send([]byte(body))
		c.alive()
	}
	// Frames the filter cannot read: no Content-Length, and one too big
	// to read, which is skipped.
	c.sendRaw([]byte("Content-Type: text/plain\r\n\r\n"))
	if res := c.wait("the answer to a frame without length", 10*time.Second, func(m map[string]json.RawMessage) bool { return m["error"] != nil }); errorCode(res) != -32700 {
		t.Errorf("no Content-Length: %s", res["error"])
	}
	c.alive()
	old := maxFrame
	maxFrame = 100 // more than a probe
	defer func() { maxFrame = old }()
	c.send([]byte(`{"jsonrpc":"2.0","id":9,"method":"x","params":{"pad":"` + strings.Repeat("x", 300) + `"}}`))
	if res := c.wait("the answer to a frame too big", 10*time.Second, func(m map[string]json.RawMessage) bool { return m["error"] != nil }); errorCode(res) != -32600 {
		t.Errorf("frame too big: %s", res["error"])
	}
	c.alive()
}

// FuzzFrames feeds one arbitrary frame (an arbitrary body, with an
// arbitrary extra header line) to a server in process, then a
// well-formed request, which must be answered.
func FuzzFrames(f *testing.F) {
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.groovy"},"position":{"line":0,"character":0}}}`,
		`{"id":1,"method":"x"}`, `{"jsonrpc":"2.0","id":{},"method":"x"}`, `{"jsonrpc":"2.0","id":1.5,"method":"x"}`,
		`[{"jsonrpc":"2.0","id":1,"method":"x"}]`, `[]`, `{}`, `"x"`, `1`, `null`, `{"jsonrpc":"2.0","id":1,"method":7}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":[1]}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.groovy","version":1,"text":"objectClass(\"X\") {"}}}`,
		`{"jsonrpc":"2.0","id":2,"result":null}`, `{"jsonrpc":"2.0","id":2,"error":{"code":1,"message":"x"}}`,
		`{"jsonrpc":"2.0",`, "\x00\xff",
	} {
		f.Add("", []byte(body))
	}
	f.Add("Content-Type: application/vscode-jsonrpc; charset=utf-8", []byte(`{"jsonrpc":"2.0","method":"initialized","params":{}}`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		var m struct{ Method string }
		if json.Unmarshal(body, &m) == nil && m.Method == "exit" {
			t.Skip("exit ends the session, as it should")
		}
		header = strings.NewReplacer("\r", " ", "\n", " ").Replace(header)
		c := startInProcess(t)
		frame := ""
		if strings.TrimSpace(header) != "" {
			frame = header + "\r\n"
		}
		c.sendRaw(fmt.Appendf(nil, "%sContent-Length: %d\r\n\r\n%s", frame, len(body), body))
		c.call("connls/noSuchMethod", map[string]any{})
	})
}

// BenchmarkFrameFilterLargeOpen passes a didOpen of a 4 MB document
// through the frame filter, as every message is.
func BenchmarkFrameFilterLargeOpen(b *testing.B) {
	text := strings.Repeat(`{"openapi": "3.0.0", "description": "é\n\t"} `, 4<<20/45)
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen",
		"params": map[string]any{"textDocument": map[string]any{"uri": "file:///w/openapi.json", "languageId": "json", "version": 1, "text": text}}})
	frame := fmt.Appendf(nil, "Content-Length: %d\r\n\r\n%s", len(body), body)
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		f := newFrameFilter(nopCloser{bytes.NewReader(frame), io.Discard}, zap.NewNop())
		if _, err := f.next(); err != nil {
			b.Fatal(err)
		}
	}
}

type nopCloser struct {
	io.Reader
	io.Writer
}

func (nopCloser) Close() error { return nil }
