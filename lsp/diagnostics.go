package lsp

import (
	"context"
	"crypto/sha256"
	"fmt"
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
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
	// collecting is set while a collection started by collectIfDue runs.
	collecting atomic.Bool
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

// waitFor blocks until a run has seen snapshot id (or a newer one). It
// starts a run only when none is wanted or running: every change
// schedules one already, and scheduling again would cancel it.
func (l *analysisLoop) waitFor(ctx context.Context, id uint64) bool {
	l.mu.Lock()
	idle := l.doneID < id && !l.pending && l.cancel == nil && !l.stopped
	if idle {
		l.pending = true
	}
	l.mu.Unlock()
	if idle {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
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
	prev := s.findings
	s.mu.Unlock()
	f := newFindings(m, prev)
	refresh := s.setFindings(f)
	for _, p := range progress {
		p.end(fmt.Sprintf("%d files, %d findings", snap.Len(), f.total))
	}
	if ws.Snapshot().ID == snap.ID {
		s.publish(ctx, snap, f)
	}
	if refresh {
		go s.client.DiagnosticRefresh(context.Background())
	}
	s.analyzer.Forget(snap)
	s.analyze.collectIfDue()
	s.log.Debug("analysed", zap.Uint64("snapshot", snap.ID), zap.Int("files", snap.Len()),
		zap.Int("findings", f.total), zap.Bool("refresh", refresh), zap.Duration("took", time.Since(start)))
	return snap.ID
}

// findings are the diagnostics of one model, computed once and shared by
// publishing, pulls, code actions and the check command.
type findings struct {
	model    *analysis.Model
	problems map[string][]dsl.Problem         // by file
	diags    map[string][]protocol.Diagnostic // by file, in problem order
	hash     map[string]string                // by file with findings
	counts   map[string]int                   // by severity name
	total    int
}

// newFindings computes the findings of m. A file whose findings are
// those of prev (the findings of an earlier model) keeps prev's
// diagnostics and their hash: after an edit, most files' findings are as
// they were, and converting and hashing them again is most of the work.
func newFindings(m *analysis.Model, prev *findings) *findings {
	f := &findings{model: m, problems: map[string][]dsl.Problem{}, diags: map[string][]protocol.Diagnostic{},
		hash: map[string]string{}, counts: map[string]int{}}
	for _, p := range m.Diagnostics() {
		f.problems[p.Abs] = append(f.problems[p.Abs], p)
		f.counts[p.Severity.String()]++
		f.total++
	}
	for abs, ps := range f.problems {
		if prev != nil && reflect.DeepEqual(prev.problems[abs], ps) {
			f.diags[abs], f.hash[abs] = prev.diags[abs], prev.hash[abs]
			continue
		}
		d := make([]protocol.Diagnostic, len(ps))
		for i, p := range ps {
			d[i] = toDiagnostic(p)
		}
		f.diags[abs], f.hash[abs] = d, diagHash(d)
	}
	return f
}

// of returns the diagnostics of a file (never nil) and their hash.
func (f *findings) of(abs string) ([]protocol.Diagnostic, string) {
	d, ok := f.diags[abs]
	if !ok {
		return []protocol.Diagnostic{}, emptyDiagHash
	}
	return d, f.hash[abs]
}

// pullState is what the server knows of a client's pulls for one open
// document: how many pulls have not yet read a model, and what the last
// answer said.
type pullState struct {
	waiting  int
	answered string // hash of the last answer; "" before the first
}

// setFindings makes f the current findings and reports whether the client
// must be asked to pull again: only when a document it pulls now has
// diagnostics that differ from its last answer and no pull of it is on
// its way (that pull will read f or a newer model). Both happen under one
// lock, so a pull either read the previous findings before (and is
// compared) or reads these ones after (and is waiting).
func (s *Server) setFindings(f *findings) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model, s.findings = f.model, f
	if !s.caps.pullDiagnostics || !s.caps.diagnosticRefresh {
		return false
	}
	refresh := false
	for abs, ps := range s.pulls {
		if ps.waiting > 0 || ps.answered == "" {
			continue
		}
		if _, h := f.of(abs); h != ps.answered {
			refresh = true
		}
	}
	return refresh
}

// publishedDiags remembers what was last sent for a file.
type publishedDiags struct {
	hash    string
	version int32
}

// publish pushes the diagnostics of every file whose diagnostics changed,
// and empty ones for files that have none any more. A file's diagnostics
// are either pushed or pulled, never both: with pull diagnostics, open
// documents are left to the client's pulls, and what was pushed for one
// before it was opened is cleared, or the client would show both.
func (s *Server) publish(ctx context.Context, snap *workspace.Snapshot, fs *findings) {
	// The files to consider are those that have findings now or had
	// pushed diagnostics before: any other has nothing to push or clear.
	// This runs after every edit, for a thousand files that mostly have
	// none. They are taken in path order, then those outside the
	// snapshot.
	s.mu.Lock()
	pull := s.caps.pullDiagnostics
	candidates := make([]string, 0, len(s.published)+len(fs.diags))
	for abs := range s.published {
		candidates = append(candidates, abs)
	}
	s.mu.Unlock()
	for abs := range fs.diags {
		candidates = append(candidates, abs)
	}
	slices.Sort(candidates)
	candidates = slices.Compact(candidates)
	for _, abs := range candidates {
		f := snap.File(abs) // nil: gone from the workspace, its diagnostics are cleared
		diags, h := fs.of(abs)
		pulled := pull && f != nil && f.Open
		if pulled {
			diags, h = []protocol.Diagnostic{}, emptyDiagHash
		}
		var version int32
		if f != nil && f.Open {
			version = f.Version
		}
		s.mu.Lock()
		prev, seen := s.published[abs]
		if seen && prev.hash == h && (prev.version == version || len(diags) == 0) {
			s.mu.Unlock()
			continue
		}
		if !seen && len(diags) == 0 {
			s.mu.Unlock()
			continue // nothing was ever pushed: nothing to clear
		}
		if len(diags) == 0 {
			delete(s.published, abs)
		} else {
			s.published[abs] = publishedDiags{hash: h, version: version}
		}
		s.mu.Unlock()
		params := &protocol.PublishDiagnosticsParams{URI: fileURI(abs), Diagnostics: diags}
		if f != nil && f.Open && !pulled {
			params.Version = protocol.NewOptional(version)
		}
		if err := s.client.PublishDiagnostics(context.WithoutCancel(ctx), params); err != nil {
			s.log.Debug("publishDiagnostics failed", zap.Error(err))
		}
	}
}

// errServerCancelled asks the client to pull again later (the server is
// stopping, or gave up waiting).
var errServerCancelled = jsonrpc2.NewError(jsonrpc2.Code(protocol.LSPErrorCodesServerCancelled), "analysis did not finish")

var emptyDiagHash = diagHash([]protocol.Diagnostic{})

func diagHash(d []protocol.Diagnostic) string {
	b, _ := protocol.Marshal(d)
	h := sha256.Sum256(b)
	return fmt.Sprintf("%x", h[:12])
}

// Diagnostic answers a pull request for one document: the findings of
// the analysis of its current text, or "unchanged" when they are what the
// client already has. It waits for that analysis but never starts one:
// every change already did, and a pull that started one would make each
// refresh start the next.
func (s *Server) Diagnostic(ctx context.Context, params *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	abs := fileOf(params.TextDocument.URI)
	snap, _ := s.snapshotAndModel()
	if snap == nil || abs == "" || snap.File(abs) == nil {
		return &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
			Kind: "full", Items: []protocol.Diagnostic{}}}, nil
	}
	s.mu.Lock()
	ps := s.pulls[abs]
	if ps == nil {
		ps = &pullState{}
		s.pulls[abs] = ps
	}
	ps.waiting++
	s.mu.Unlock()
	ok := s.analyze.waitFor(ctx, snap.ID)
	s.mu.Lock()
	ps.waiting--
	f := s.findings
	var items []protocol.Diagnostic
	var h string
	if ok && f != nil {
		items, h = f.of(abs)
		if s.pulls[abs] == ps { // not closed meanwhile
			ps.answered = h
		}
	}
	s.mu.Unlock()
	if !ok || f == nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errServerCancelled
	}
	if params.PreviousResultID != nil && *params.PreviousResultID == h {
		return &protocol.RelatedUnchangedDocumentDiagnosticReport{UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{
			Kind: "unchanged", ResultID: h}}, nil
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
		Kind: "full", ResultID: &h, Items: items}}, nil
}

// collectIfDue starts a garbage collection, once the diagnostics of an
// analysis are out, when the heap has grown more than half way to the
// size at which the runtime would start one: a collection that starts
// during the next analysis makes that edit's diagnostics wait for it
// (on two cores, the p99 latency of an edit was its p50 plus a
// collection), while one started here runs as the user types.
func (l *analysisLoop) collectIfDue() {
	sample := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	for _, m := range sample {
		if m.Value.Kind() != metrics.KindUint64 {
			return
		}
	}
	goal, live, heap := sample[0].Value.Uint64(), sample[1].Value.Uint64(), sample[2].Value.Uint64()
	if goal <= live || heap < live+(goal-live)/2 || !l.collecting.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer l.collecting.Store(false)
		runtime.GC()
	}()
}
