package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxFrame bounds a message body; a bigger one is a broken client.
var maxFrame = 256 << 20

// frameFilter stands between the client's byte stream and jsonrpc2, which
// closes the connection on a frame it cannot take: one that is not JSON,
// or JSON that is not a JSON-RPC 2.0 message. It passes valid frames
// through and answers a malformed one itself, as the JSON-RPC
// specification asks: a parse error (-32700) for what is not JSON, an
// invalid request (-32600) for the rest, with the request's id when it
// has a usable one and null otherwise. One bad message costs one error
// and not the session.
type frameFilter struct {
	in      *bufio.Reader
	rwc     io.ReadWriteCloser
	log     *zap.Logger
	wmu     sync.Mutex // jsonrpc2's writes and the filter's must not interleave
	pending []byte
}

func newFrameFilter(rwc io.ReadWriteCloser, log *zap.Logger) *frameFilter {
	return &frameFilter{in: bufio.NewReaderSize(rwc, 64<<10), rwc: rwc, log: log}
}

func (f *frameFilter) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		frame, err := f.next()
		if err != nil {
			return 0, err
		}
		f.pending = frame
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

func (f *frameFilter) Write(p []byte) (int, error) {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return f.rwc.Write(p)
}

func (f *frameFilter) Close() error { return f.rwc.Close() }

// next reads frames until a valid one, which it returns re-framed.
func (f *frameFilter) next() ([]byte, error) {
	for {
		length := -1
		sawHeader := false
		for {
			line, err := f.in.ReadString('\n')
			if err != nil {
				if err == io.EOF && (sawHeader || strings.TrimSpace(line) != "") {
					return nil, io.ErrUnexpectedEOF
				}
				return nil, err
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				if sawHeader {
					break
				}
				continue // blank lines between frames
			}
			sawHeader = true
			name, value, ok := strings.Cut(line, ":")
			if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
				if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n >= 0 {
					length = n
				}
			}
		}
		if length < 0 {
			f.reject(jsonrpc2.ParseError, nil, "invalid message header: no Content-Length")
			continue
		}
		if length > maxFrame {
			// Skipped unread: the next frame starts after it.
			if _, err := f.in.Discard(length); err != nil {
				return nil, io.ErrUnexpectedEOF
			}
			f.reject(jsonrpc2.InvalidRequest, nil, fmt.Sprintf("a message of %d bytes is more than the %d MB connls reads", length, maxFrame>>20))
			continue
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(f.in, body); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		if !json.Valid(body) {
			f.reject(jsonrpc2.ParseError, nil, "the message is not valid JSON")
			continue
		}
		if why := invalidMessage(body); why != "" {
			f.reject(jsonrpc2.InvalidRequest, requestID(body), why)
			continue
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
		b.Write(body)
		return b.Bytes(), nil
	}
}

// reject answers a message that cannot be taken, with the id it had (nil
// for null).
func (f *frameFilter) reject(code jsonrpc2.Code, id json.RawMessage, why string) {
	f.log.Warn("malformed message", zap.Int32("code", int32(code)), zap.String("reason", why))
	prefix := "Invalid request: "
	if code == jsonrpc2.ParseError {
		prefix = "Parse error: "
	}
	if id == nil {
		id = json.RawMessage("null")
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": prefix + why}})
	f.Write([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
}

// invalidMessage says why a JSON body is not a message jsonrpc2 takes, or
// returns "". jsonrpc2's own decoder is the judge, so that nothing it
// would end the connection on gets through, and it borrows the body
// rather than copying it (a didOpen may carry megabytes); the checks after
// it only find a clearer reason.
func invalidMessage(body []byte) string {
	if _, err := jsonrpc2.DecodeMessage(body); err == nil {
		return ""
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return "batches are not supported by the Language Server Protocol: send one message per frame"
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return "a message must be a JSON object"
	}
	if v := m["jsonrpc"]; string(v) != `"2.0"` {
		return `the message needs "jsonrpc": "2.0"`
	}
	method, hasMethod := m["method"]
	if hasMethod {
		var s string
		if json.Unmarshal(method, &s) != nil {
			return `"method" must be a string`
		}
	}
	if id, ok := m["id"]; ok && string(id) != "null" && validID(id) == nil {
		return `"id" must be a string or an integer`
	}
	_, hasResult := m["result"]
	_, hasError := m["error"]
	switch {
	case hasMethod && (hasResult || hasError):
		return `a message cannot have both "method" and "result" or "error"`
	case !hasMethod && !hasResult && !hasError:
		return `a request needs "method"; a response needs "result" or "error"`
	}
	return "not a JSON-RPC 2.0 message"
}

// validID returns a JSON-RPC id as it may be echoed (a string, or an
// integer that fits in 64 bits), or nil.
func validID(raw json.RawMessage) json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return raw
	}
	if _, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return raw
	}
	return nil
}

// requestID returns the id of a malformed request to answer with, or nil
// for null: only a message that means to be a request (it has a method)
// gets its id back.
func requestID(body []byte) json.RawMessage {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
	}
	if json.Unmarshal(body, &m) != nil || m.Method == nil || m.ID == nil {
		return nil
	}
	return validID(m.ID)
}

// checkParams keeps a message with a bad shape to one error answer. The
// protocol package reports params it cannot decode as a parse error
// (-32700), but the frame filter let only valid JSON through, so it is
// the params that are wrong: invalid params (-32602). A notification's
// error, which jsonrpc2 takes for the connection's end (a $/cancelRequest
// whose params are an array), is logged instead.
func (s *Server) checkParams(h jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		method, isCall := strings.Clone(req.Method()), req.IsCall()
		res, err := h(ctx, req)
		switch {
		case err == nil:
			return res, nil
		case !isCall:
			s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
			return nil, nil
		case errors.Is(err, jsonrpc2.ErrParse):
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params of %s: %s", method, strings.TrimPrefix(err.Error(), jsonrpc2.ErrParse.Message+": "))
		}
		return res, err
	}
}
