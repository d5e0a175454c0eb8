package lsp

import (
	"context"
	"fmt"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// progress reports long work as workDone progress: begin, reports with
// a percentage, end. Without a token (the client supports neither
// server-created progress nor gave one) every call is a no-op.
type progress struct {
	s      *Server
	token  protocol.ProgressToken
	mu     sync.Mutex
	active bool
	ended  bool
	key    string // of a cancellable progress's entry in Server.jobs
}

// startProgress begins progress: on the client's token when it gave one,
// else on a new server token when the client supports creating them. With
// a cancel function the progress is cancellable: the function is
// registered for the token before the client hears of it, so a cancel
// sent as soon as the begin arrives is never lost; end unregisters it.
func (s *Server) startProgress(ctx context.Context, title string, clientToken protocol.ProgressToken, cancel context.CancelFunc) *progress {
	p := &progress{s: s, token: clientToken}
	cancellable := cancel != nil
	ctx = context.WithoutCancel(ctx)
	if p.token == nil {
		s.mu.Lock()
		supported := s.caps.workDoneProgress
		s.nextToken++
		token := protocol.String(fmt.Sprintf("connls-%d", s.nextToken))
		s.mu.Unlock()
		if !supported {
			return p
		}
		if err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: token}); err != nil {
			s.log.Debug("workDoneProgress/create refused", zap.Error(err))
			return p
		}
		p.token = token
	}
	p.active = true
	if cancellable {
		p.key = tokenKey(p.token)
		s.mu.Lock()
		s.jobs[p.key] = cancel
		s.mu.Unlock()
	}
	s.notifyProgress(ctx, p.token, &protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Cancellable: &cancellable, Percentage: ptr(uint32(0))})
	return p
}

func (s *Server) notifyProgress(ctx context.Context, token protocol.ProgressToken, value any) {
	b, err := protocol.Marshal(value)
	if err != nil {
		return
	}
	if err := s.client.Progress(ctx, &protocol.ProgressParams{Token: token, Value: protocol.LSPAny(b)}); err != nil {
		s.log.Debug("$/progress failed", zap.Error(err))
	}
}

// report sends a step: a message and, when the work is counted, the
// share done.
func (p *progress) report(msg string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.active || p.ended {
		return
	}
	r := &protocol.WorkDoneProgressReport{Kind: "report", Message: &msg}
	if total > 0 {
		r.Percentage = ptr(uint32(100 * done / total))
	}
	p.s.notifyProgress(context.Background(), p.token, r)
}

// end finishes the progress with a closing message.
func (p *progress) end(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.active || p.ended {
		return
	}
	p.ended = true
	if p.key != "" {
		p.s.mu.Lock()
		delete(p.s.jobs, p.key)
		p.s.mu.Unlock()
	}
	p.s.notifyProgress(context.Background(), p.token, &protocol.WorkDoneProgressEnd{Kind: "end", Message: &msg})
}

// tokenKey renders a progress token as a map key.
func tokenKey(t protocol.ProgressToken) string {
	switch t := t.(type) {
	case protocol.String:
		return "s:" + string(t)
	case protocol.Integer:
		return fmt.Sprintf("i:%d", int64(t))
	}
	return ""
}

// WorkDoneProgressCancel stops the generation the progress belongs to.
func (s *Server) WorkDoneProgressCancel(ctx context.Context, params *protocol.WorkDoneProgressCancelParams) error {
	s.mu.Lock()
	cancel := s.jobs[tokenKey(params.Token)]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}
