// Package lsp is the language server face of connls: thin handlers that
// translate between the Language Server Protocol and the workspace,
// analysis and generate packages.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

// Options configure a server.
type Options struct {
	Logger *zap.Logger
	// Debounce is how long diagnostics wait for more edits after a burst;
	// an edit after a quiet period is analysed at once.
	Debounce time.Duration
	// Assist, when set, is offered as "Generate with AI".
	Assist generate.Assistant
	// AssistName names the assistant in code action titles.
	AssistName string
	// Version is reported in serverInfo.
	Version string
	// Warnings are shown to the user once the client is initialized:
	// problems of the server's own setup (an LLM backend without its key)
	// that it works around instead of refusing to start.
	Warnings []string
}

// Server is one language server session.
type Server struct {
	protocol.UnimplementedServer

	opts   Options
	log    *zap.Logger
	conn   jsonrpc2.Conn
	client protocol.Client

	mu        sync.Mutex
	state     state
	caps      clientCaps
	ws        *workspace.Workspace
	analyzer  *analysis.Analyzer
	model     *analysis.Model // of the newest snapshot analysed; handlers use currentModel
	findings  *findings       // its diagnostics
	published map[string]publishedDiags
	pulls     map[string]*pullState         // open documents the client pulls
	jobs      map[string]context.CancelFunc // running generations by progress token
	watcher   *watcher
	nextToken int

	analyze *analysisLoop
	loads   *rootLoader // folder scans in the background
	exited  chan int
}

type state int

const (
	stateNew state = iota
	stateInitialized
	stateShutdown
)

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	workDoneProgress   bool
	dynamicWatch       bool
	documentChanges    bool
	createFiles        bool
	pullDiagnostics    bool
	diagnosticRefresh  bool
	resolveEdits       bool
	hierarchicalSymbol bool
	markdown           bool
	snippets           bool
	applyEdit          bool
	changeAnnotations  bool
}

// errNotInitialized is the spec's answer to requests before initialize.
var errNotInitialized = jsonrpc2.NewError(-32002, "server not initialized")

// errInvalidRequest answers requests after shutdown.
var errInvalidRequest = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down")

// Serve runs a server over a stream until the client exits or the
// connection closes. It returns the exit code the process should use: 0
// after shutdown and exit, 1 otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.Debounce == 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	s := &Server{
		opts: opts, log: opts.Logger, analyzer: analysis.NewAnalyzer(),
		published: map[string]publishedDiags{}, pulls: map[string]*pullState{}, jobs: map[string]context.CancelFunc{},
		exited: make(chan int, 1),
	}
	s.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(newFrameFilter(rwc, s.log)), jsonrpc2.WithCodec(codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	s.analyze = newAnalysisLoop(s)
	s.loads = newRootLoader()
	s.readLargeDocsAside()
	s.conn.Go(ctx, s.ordered(s.checkParams(protocol.CancelHandler(s.guard(protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler))))))
	code := 1
	select {
	case code = <-s.exited:
	case <-s.conn.Done():
		if err := s.conn.Err(); err != nil {
			s.log.Info("connection closed", zap.Error(err))
		}
	case <-ctx.Done():
	}
	s.stop()
	return code
}

// ordered keeps document synchronization in wire order: jsonrpc2 v1 runs
// handlers concurrently once they release the read loop, so sync
// notifications (which only update the overlay, quickly) and cancellation
// run inline, and everything else is released to run concurrently.
//
// The handlers below get the connection's context, not the pooled
// per-request one: a context derived from the request context can outlive
// the request's recycling (context's propagateCancel goroutine calls its
// Done later) and crash the process. Request cancellation still works:
// protocol.CancelHandler derives its own cancellable context per call.
func (s *Server) ordered(h jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		switch req.Method() {
		case protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidChange,
			protocol.MethodTextDocumentDidClose, protocol.MethodTextDocumentDidSave,
			protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.MethodWorkspaceDidChangeWorkspaceFolders,
			protocol.MethodInitialize, protocol.MethodInitialized, protocol.MethodShutdown, protocol.MethodExit,
			protocol.MethodWindowWorkDoneProgressCancel, protocol.MethodCancelRequest:
		default:
			jsonrpc2.Async(ctx)
		}
		return h(jsonrpc2.DetachContext(ctx), req)
	}
}

// guard enforces the lifecycle, turns panics into internal errors, and
// keeps errors of notifications to the log (jsonrpc2 closes the
// connection on them), so no message can bring the server down.
func (s *Server) guard(h jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		method, isCall := strings.Clone(req.Method()), req.IsCall()
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panic", zap.String("method", method), zap.Any("panic", r), zap.Stack("stack"))
				result, err = nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInternal, r)
			}
			if err != nil && !isCall {
				s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
				result, err = nil, nil
			}
		}()
		s.mu.Lock()
		st := s.state
		s.mu.Unlock()
		switch m := req.Method(); {
		case m == protocol.MethodInitialize || m == protocol.MethodExit:
		case st == stateNew:
			if req.IsCall() {
				return nil, errNotInitialized
			}
			return nil, nil // notifications before initialize are dropped
		case st == stateShutdown && req.IsCall():
			return nil, errInvalidRequest
		}
		return h(ctx, req)
	}
}

func (s *Server) stop() {
	s.loads.stop()
	s.analyze.stop()
	s.mu.Lock()
	for _, cancel := range s.jobs {
		cancel()
	}
	w := s.watcher
	s.mu.Unlock()
	if w != nil {
		w.close()
	}
	s.conn.Close()
}

// Initialize implements the initialize request.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	s.mu.Lock()
	if s.state != stateNew {
		s.mu.Unlock()
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already called")
	}
	s.caps = readCaps(params.Capabilities)
	s.mu.Unlock()

	roots := rootsOf(params)
	ws, err := workspace.New(roots...)
	if err != nil {
		// A root that cannot be read is reported, not fatal: the server
		// still serves the documents the client opens.
		s.log.Warn("cannot read workspace roots", zap.Strings("roots", roots), zap.Error(err))
		ws, _ = workspace.New()
	}
	s.mu.Lock()
	s.ws = ws
	s.state = stateInitialized
	caps := s.caps
	s.mu.Unlock()
	s.log.Info("initialize", zap.Strings("roots", roots), zap.String("client", params.ClientInfo.Name))
	return &protocol.InitializeResult{Capabilities: serverCaps(caps), ServerInfo: protocol.ServerInfo{Name: "connls", Version: protocol.NewOptional(s.opts.Version)}}, nil
}

func rootsOf(params *protocol.InitializeParams) []string {
	var roots []string
	if folders, ok := params.WorkspaceFolders.Get(); ok {
		for _, f := range folders {
			if p := pathOf(f.URI); p != "" {
				roots = append(roots, p)
			}
		}
	}
	if len(roots) == 0 && params.RootURI != nil {
		if p := pathOf(*params.RootURI); p != "" {
			roots = append(roots, p)
		}
	}
	if len(roots) == 0 {
		if p, ok := params.RootPath.Get(); ok && p != "" {
			roots = append(roots, p)
		}
	}
	return roots
}

// pathOf returns the file path of a file URI, or "".
func pathOf(u uri.URI) string {
	if u.Scheme() != "file" {
		return ""
	}
	p := u.FsPath()
	if p == "" || !filepath.IsAbs(p) {
		return "" // "file:x.groovy" names no file: relative to what?
	}
	return filepath.Clean(p)
}

func readCaps(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	if w := c.Window; w != nil && w.WorkDoneProgress != nil {
		cc.workDoneProgress = *w.WorkDoneProgress
	}
	if ws := c.Workspace; ws != nil {
		if ws.DidChangeWatchedFiles != nil && ws.DidChangeWatchedFiles.DynamicRegistration != nil {
			cc.dynamicWatch = *ws.DidChangeWatchedFiles.DynamicRegistration
		}
		if ws.ApplyEdit != nil {
			cc.applyEdit = *ws.ApplyEdit
		}
		if we := ws.WorkspaceEdit; we != nil {
			cc.documentChanges = we.DocumentChanges != nil && *we.DocumentChanges
			cc.changeAnnotations = we.ChangeAnnotationSupport != nil
			for _, k := range we.ResourceOperations {
				if k == protocol.ResourceOperationKindCreate {
					cc.createFiles = true
				}
			}
		}
		if ws.Diagnostics != nil && ws.Diagnostics.RefreshSupport != nil {
			cc.diagnosticRefresh = *ws.Diagnostics.RefreshSupport
		}
	}
	if td := c.TextDocument; td != nil {
		cc.pullDiagnostics = td.Diagnostic != nil
		if ca := td.CodeAction; ca != nil {
			for _, p := range ca.ResolveSupport.Properties {
				if p == "edit" {
					cc.resolveEdits = true
				}
			}
		}
		if ds := td.DocumentSymbol; ds != nil && ds.HierarchicalDocumentSymbolSupport != nil {
			cc.hierarchicalSymbol = *ds.HierarchicalDocumentSymbolSupport
		}
		if c := td.Completion; c != nil && c.CompletionItem != nil && c.CompletionItem.SnippetSupport != nil {
			cc.snippets = *c.CompletionItem.SnippetSupport
		}
		if h := td.Hover; h != nil {
			for _, k := range h.ContentFormat {
				if k == protocol.MarkupKindMarkdown {
					cc.markdown = true
				}
			}
		}
	}
	return cc
}

// Commands the server executes.
const (
	cmdGenerate = "connls.generate"
	cmdCheck    = "connls.checkWorkspace"
	// cmdSailPointDryRun shows the SailPoint registration request.
	cmdSailPointDryRun = "connls.sailpointDryRun"
)

func serverCaps(cc clientCaps) protocol.ServerCapabilities {
	yes := true
	incremental := protocol.TextDocumentSyncKindIncremental
	caps := protocol.ServerCapabilities{
		PositionEncoding: protocol.PositionEncodingKindUTF16,
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: &yes, Change: &incremental, Save: protocol.Boolean(false),
		},
		HoverProvider:          protocol.Boolean(true),
		DefinitionProvider:     protocol.Boolean(true),
		ReferencesProvider:     protocol.Boolean(true),
		DocumentSymbolProvider: protocol.Boolean(true),
		CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: []string{"\"", "'", " ", "("}},
		CodeActionProvider: &protocol.CodeActionOptions{
			CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, kindGenerate, kindSailPoint},
			ResolveProvider: &cc.resolveEdits,
		},
		ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: []string{cmdGenerate, cmdCheck, cmdSailPointDryRun, cmdScaffold}},
		Workspace: &protocol.WorkspaceOptions{WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
			Supported: &yes, ChangeNotifications: protocol.Boolean(true),
		}},
	}
	if cc.pullDiagnostics {
		id := "connls"
		caps.DiagnosticProvider = &protocol.DiagnosticOptions{Identifier: &id, InterFileDependencies: true}
	}
	return caps
}

// Initialized implements the initialized notification: watch files and
// analyse the workspace, with progress.
func (s *Server) Initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	s.mu.Lock()
	caps, roots := s.caps, s.ws.Roots()
	s.mu.Unlock()
	if caps.dynamicWatch {
		go s.registerWatchers(ctx)
	} else if len(roots) > 0 {
		w, err := newWatcher(roots, s.log, s.diskChanged)
		if err != nil {
			s.log.Warn("cannot watch the workspace", zap.Error(err))
		} else {
			s.mu.Lock()
			s.watcher = w
			s.mu.Unlock()
		}
	}
	for _, w := range s.opts.Warnings {
		go s.showMessage(protocol.MessageTypeWarning, "connls: "+w)
	}
	go s.loadWorkspace(ctx)
	return nil
}

// loadWorkspace analyses the whole workspace once, reporting progress.
func (s *Server) loadWorkspace(ctx context.Context) {
	p := s.startProgress(ctx, "Loading connector workspace", nil, nil)
	s.analyze.run(ctx, p)
}

// Shutdown implements the shutdown request.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.state = stateShutdown
	for _, cancel := range s.jobs {
		cancel()
	}
	s.mu.Unlock()
	return nil
}

// Exit implements the exit notification.
func (s *Server) Exit(ctx context.Context) error {
	s.mu.Lock()
	code := 1
	if s.state == stateShutdown {
		code = 0
	}
	s.mu.Unlock()
	select {
	case s.exited <- code:
	default:
	}
	return nil
}

// SetTrace accepts trace settings; connls logs through zap instead.
func (s *Server) SetTrace(ctx context.Context, _ *protocol.SetTraceParams) error { return nil }

// DidChangeConfiguration accepts settings changes; none is read yet.
func (s *Server) DidChangeConfiguration(ctx context.Context, _ *protocol.DidChangeConfigurationParams) error {
	return nil
}

// Request answers unknown requests with MethodNotFound, as the spec asks,
// and ignores unknown notifications.
func (s *Server) Request(ctx context.Context, method string, params any) (any, error) {
	return nil, fmt.Errorf("%q: %w", method, jsonrpc2.ErrMethodNotFound)
}

// snapshotAndModel returns the current snapshot and the model of the newest
// snapshot analysed, which may be older: handlers use currentModel.
func (s *Server) snapshotAndModel() (*workspace.Snapshot, *analysis.Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ws == nil {
		return nil, nil
	}
	return s.ws.Snapshot(), s.model
}

// fileOf returns the absolute path of a document URI, or "".
func fileOf(u uri.URI) string { return pathOf(u) }

var errUnknownDocument = errors.New("unknown document")

// Handlers get the model they answer from through currentModel. The
// editor features (hover, definition, references, symbols, completion)
// are computed by package features from it; their handlers, one file
// each, only convert.

// currentModel waits for the analysis of the current snapshot, so that
// actions are computed on what the user sees, and returns the model with
// the snapshot it was computed for: never a newer snapshot than the
// model's. Edits built from the pair carry the versions the model read,
// so the client refuses them if the user typed since.
func (s *Server) currentModel(ctx context.Context) (*workspace.Snapshot, *analysis.Model) {
	snap, m := s.snapshotAndModel()
	if snap == nil {
		return nil, nil
	}
	if m == nil || m.Snapshot.ID != snap.ID {
		s.analyze.waitFor(ctx, snap.ID)
		_, m = s.snapshotAndModel()
	}
	if m == nil {
		return nil, nil
	}
	return m.Snapshot, m
}
