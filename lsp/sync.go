package lsp

import (
	"context"
	"errors"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/connls/connls/workspace"
)

// DidOpen records an editor buffer. A file outside every workspace root
// is analysed alone, or with the connector folder it sits in (see
// openOutside); nothing is scanned before the next message is read.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	abs := fileOf(params.TextDocument.URI)
	if abs == "" {
		return nil
	}
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	if ws.Snapshot().RootOf(abs) == "" && workspace.Classify(abs) != workspace.KindOther {
		s.openOutside(ws, abs)
	}
	if workspace.Classify(abs) == workspace.KindGroovy {
		s.analyzer.Track(abs)
	}
	ws.Open(abs, params.TextDocument.Version, []byte(params.TextDocument.Text))
	s.analyze.schedule()
	return nil
}

// DidChange applies incremental changes to a buffer. A change whose
// version is not newer than the buffer's is dropped: it would undo the
// user's later edits.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	abs := fileOf(params.TextDocument.URI)
	if abs == "" {
		return nil
	}
	var changes []workspace.Change
	for _, c := range params.ContentChanges {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangePartial:
			r := fromRange(c.Range)
			changes = append(changes, workspace.Change{Range: &r, Text: c.Text})
		case *protocol.TextDocumentContentChangeWholeDocument:
			changes = append(changes, workspace.Change{Text: c.Text})
		}
	}
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	if _, err := ws.Change(abs, params.TextDocument.Version, changes); err != nil {
		if errors.Is(err, workspace.ErrStaleVersion) {
			s.log.Warn("stale change dropped", zap.Error(err))
		} else {
			s.log.Warn("change not applied", zap.Error(err))
		}
		return nil
	}
	s.analyze.schedule()
	return nil
}

// DidClose drops a buffer: the file on disk counts again.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	abs := fileOf(params.TextDocument.URI)
	if abs == "" {
		return nil
	}
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	ws.Close(abs)
	s.mu.Lock()
	delete(s.pulls, abs) // a closed document is pushed again
	s.mu.Unlock()
	s.analyzer.Untrack(abs)
	s.analyze.schedule()
	return nil
}

// DidSave needs nothing: the buffer already holds the saved text.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	return nil
}

// DidChangeWatchedFiles re-reads files changed on disk (a git checkout,
// another tool): every file that depends on them is analysed again.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	var paths []string
	for _, c := range params.Changes {
		if p := fileOf(c.URI); p != "" {
			paths = append(paths, p)
		}
	}
	s.diskChanged(paths)
	return nil
}

func (s *Server) diskChanged(paths []string) {
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	if ws == nil {
		return
	}
	if _, changed := ws.DiskChanged(paths...); changed {
		s.analyze.schedule()
	}
}

// DidChangeWorkspaceFolders adds and removes roots.
func (s *Server) DidChangeWorkspaceFolders(ctx context.Context, params *protocol.DidChangeWorkspaceFoldersParams) error {
	s.mu.Lock()
	ws, w := s.ws, s.watcher
	s.mu.Unlock()
	for _, f := range params.Event.Removed {
		if p := pathOf(f.URI); p != "" {
			ws.RemoveRoot(p)
		}
	}
	for _, f := range params.Event.Added {
		if p := pathOf(f.URI); p != "" {
			s.addFolder(ws, w, p)
		}
	}
	s.analyze.schedule()
	return nil
}
