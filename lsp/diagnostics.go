package lsp

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

// analysisLoop analyses the workspace in one goroutine. Edits schedule a
// run; an edit after a quiet period runs at once, a burst of edits waits
// for the debounce window; a newer edit cancels a run in progress, whose
// result would be stale anyway.
type analysisLoop struct {
	s    *Server
	mu   sync.Mutex
	cond *sync.Cond
	// pending is set when a run is wanted; cancel stops the run in
	// progress; done counts finished runs with the snapshot they saw.
	pending   bool
	cancel    context.CancelFunc
	lastStart time.Time
	doneID    uint64
	progress  []*progress
	stopped   bool
	wake      chan struct{}
}

func newAnalysisLoop(s *Server) *analysisLoop {
	l := &analysisLoop{s: s, wake: make(chan struct{}, 1)}
	l.cond = sync.NewCond(&l.mu)
	go l.loop()
	return l
}

// schedule asks for a run on the newest snapshot.
func (l *analysisLoop) schedule() {
	l.mu.Lock()
	l.pending = true
	if l.cancel != nil {
		l.cancel()
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// run schedules a run that reports its progress on p.
func (l *analysisLoop) run(ctx context.Context, p *progress) {
	l.mu.Lock()
	l.progress = append(l.progress, p)
	l.mu.Unlock()
	l.schedule()
}

func (l *analysisLoop) stop() {
	l.mu.Lock()
	l.stopped = true
	if l.cancel != nil {
		l.cancel()
	}
	l.cond.Broadcast()
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// waitFor blocks until a run has seen snapshot id (or a newer one).
func (l *analysisLoop) waitFor(ctx context.Context, id uint64) bool {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			l.mu.Lock()
			l.cond.Broadcast()
			l.mu.Unlock()
		case <-done:
		}
	}()
	defer close(done)
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.doneID < id && !l.stopped && ctx.Err() == nil {
		l.cond.Wait()
	}
	return l.doneID >= id
}

func (l *analysisLoop) loop() {
	for range l.wake {
		for {
			l.mu.Lock()
			if l.stopped {
				l.mu.Unlock()
				return
			}
			if !l.pending {
				l.mu.Unlock()
				break
			}
			// Debounce: right after a run, wait out the window so a burst
			// of keystrokes is analysed once.
			wait := l.s.opts.Debounce - time.Since(l.lastStart)
			l.mu.Unlock()
			if wait > 0 {
				time.Sleep(wait)
			}
			l.mu.Lock()
			l.pending = false
			ctx, cancel := context.WithCancel(context.Background())
			l.cancel = cancel
			l.lastStart = time.Now()
			progress := l.progress
			l.progress = nil
			l.mu.Unlock()

			id := l.s.runAnalysis(ctx, progress)
			cancel()

			l.mu.Lock()
			l.cancel = nil
			if id > l.doneID {
				l.doneID = id
			}
			l.cond.Broadcast()
			l.mu.Unlock()
		}
	}
}

// runAnalysis analyses the current snapshot and publishes its
// diagnostics; it returns the snapshot id it completed, or 0.
func (s *Server) runAnalysis(ctx context.Context, progress []*progress) uint64 {
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	if ws == nil {
		return 0
	}
	snap := ws.Snapshot()
	report := func(stage, msg string, done, total int) {
		for _, p := range progress {
			p.report(msg, done, total)
		}
	}
	start := time.Now()
	m, err := s.analyzer.Analyze(ctx, snap, report)
	if err != nil {
		// Cancelled by a newer edit: the next run takes over the
		// progress.
		s.analyze.mu.Lock()
		s.analyze.progress = append(s.analyze.progress, progress...)
		s.analyze.mu.Unlock()
		return 0
	}
	s.mu.Lock()
	s.model = m
	s.mu.Unlock()
	problems := m.Diagnostics()
	for _, p := range progress {
		p.end(fmt.Sprintf("%d files, %d findings", snap.Len(), len(problems)))
	}
	if ws.Snapshot().ID == snap.ID {
		s.publish(ctx, snap, problems)
	}
	s.analyzer.Forget(snap)
	s.log.Debug("analysed", zap.Uint64("snapshot", snap.ID), zap.Int("files", snap.Len()),
		zap.Int("findings", len(problems)), zap.Duration("took", time.Since(start)))
	return snap.ID
}

// publishedDiags remembers what was last sent for a file.
type publishedDiags struct {
	hash    string
	version int32
}

// publish sends the diagnostics of every file whose diagnostics changed,
// and empty ones for files that have none any more. With pull
// diagnostics, open documents are left to the client's pulls.
func (s *Server) publish(ctx context.Context, snap *workspace.Snapshot, problems []analysis.Problem) {
	byFile := map[string][]protocol.Diagnostic{}
	for _, p := range problems {
		byFile[p.Abs] = append(byFile[p.Abs], toDiagnostic(p))
	}
	s.mu.Lock()
	pull := s.caps.pullDiagnostics
	targets := map[string]bool{}
	for k := range s.published {
		targets[k] = true
	}
	s.mu.Unlock()
	for _, f := range snap.Files() {
		targets[f.Abs] = true
	}
	for abs := range byFile {
		targets[abs] = true
	}
	for abs := range targets {
		f := snap.File(abs)
		diags := byFile[abs]
		if diags == nil {
			diags = []protocol.Diagnostic{}
		}
		if pull && f != nil && f.Open {
			continue
		}
		var version int32
		if f != nil && f.Open {
			version = f.Version
		}
		h := emptyDiagHash // most files of a workspace have no findings
		if len(diags) > 0 {
			h = diagHash(diags)
		}
		s.mu.Lock()
		prev, seen := s.published[abs]
		if seen && prev.hash == h && prev.version == version {
			s.mu.Unlock()
			continue
		}
		if !seen && len(diags) == 0 {
			s.mu.Unlock()
			continue // nothing was ever reported: nothing to clear
		}
		if len(diags) == 0 && f == nil {
			delete(s.published, abs)
		} else {
			s.published[abs] = publishedDiags{hash: h, version: version}
		}
		s.mu.Unlock()
		params := &protocol.PublishDiagnosticsParams{URI: fileURI(abs), Diagnostics: diags}
		if f != nil && f.Open {
			params.Version = protocol.NewOptional(version)
		}
		if err := s.client.PublishDiagnostics(context.WithoutCancel(ctx), params); err != nil {
			s.log.Debug("publishDiagnostics failed", zap.Error(err))
		}
	}
	if pull {
		s.mu.Lock()
		refresh := s.caps.diagnosticRefresh
		s.mu.Unlock()
		if refresh {
			go s.client.DiagnosticRefresh(context.Background())
		}
	}
}

var emptyDiagHash = diagHash([]protocol.Diagnostic{})

func diagHash(d []protocol.Diagnostic) string {
	b, _ := protocol.Marshal(d)
	h := sha256.Sum256(b)
	return fmt.Sprintf("%x", h[:12])
}

// Diagnostic answers a pull request for one document: the findings of
// the analysis of its current text.
func (s *Server) Diagnostic(ctx context.Context, params *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	abs := fileOf(params.TextDocument.URI)
	snap, _ := s.snapshotAndModel()
	report := &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", Items: []protocol.Diagnostic{}}}
	if snap == nil || abs == "" || snap.File(abs) == nil {
		return report, nil
	}
	s.analyze.schedule()
	if !s.analyze.waitFor(ctx, snap.ID) {
		return nil, ctx.Err()
	}
	_, m := s.snapshotAndModel()
	if m == nil {
		return report, nil
	}
	u := m.UnitOf(abs)
	if u == nil {
		return report, nil
	}
	for _, p := range m.UnitDiagnostics(u) {
		if p.Abs == abs {
			report.Items = append(report.Items, toDiagnostic(p))
		}
	}
	id := diagHash(report.Items)
	report.ResultID = &id
	return report, nil
}
