package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.uber.org/zap"
)

// maxFrame bounds a message body; a bigger one is a broken client.
const maxFrame = 256 << 20

// frameFilter stands between the client's byte stream and jsonrpc2, which
// closes the connection on a frame that is not JSON. It passes valid
// frames through and answers a malformed one itself with a JSON-RPC parse
// error (id null), as the JSON-RPC specification asks, so one bad message
// costs one error and not the session.
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
		if length < 0 || length > maxFrame {
			f.reject(fmt.Sprintf("invalid message header (Content-Length %d)", length))
			if length > maxFrame {
				return nil, fmt.Errorf("message of %d bytes is too big", length)
			}
			continue
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(f.in, body); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		if !json.Valid(body) {
			f.reject("the message is not valid JSON")
			continue
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
		b.Write(body)
		return b.Bytes(), nil
	}
}

// reject answers a message that cannot be read with a parse error.
func (f *frameFilter) reject(why string) {
	f.log.Warn("malformed message", zap.String("reason", why))
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{"code": -32700, "message": "Parse error: " + why}})
	f.Write([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
}
