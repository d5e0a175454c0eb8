package lsp

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// registerWatchers asks the client to watch the workspace files and
// report changes with workspace/didChangeWatchedFiles.
func (s *Server) registerWatchers(ctx context.Context) {
	var watchers []protocol.FileSystemWatcher
	for _, g := range []string{"**/*.groovy", "**/*.{yaml,yml}", "**/*.json", "**/*.{html,htm}", "**/*.{md,markdown}"} {
		watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
	}
	opts, err := protocol.Marshal(&protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers})
	if err != nil {
		return
	}
	err = s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "connls-watch", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: protocol.LSPAny(opts),
	}}})
	if err != nil {
		s.log.Warn("client refused file watching", zap.Error(err))
	}
}

// watcher watches workspace roots with fsnotify for clients that cannot
// watch files themselves. Events are batched, so a git checkout that
// touches a hundred files costs one analysis.
type watcher struct {
	w      *fsnotify.Watcher
	log    *zap.Logger
	notify func([]string)
	mu     sync.Mutex
	batch  map[string]bool
	timer  *time.Timer
	done   chan struct{}
}

const watchBatch = 100 * time.Millisecond

func newWatcher(roots []string, log *zap.Logger, notify func([]string)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, log: log, notify: notify, batch: map[string]bool{}, done: make(chan struct{})}
	for _, r := range roots {
		w.add(r)
	}
	go w.run()
	return w, nil
}

// maxWatched bounds the folders watched under one root: a root that is a
// home folder must not cost an inotify watch per folder in it.
const maxWatched = 4_000

// add watches a directory tree; fsnotify watches single directories.
func (w *watcher) add(root string) {
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "target" || d.Name() == "build") {
			return filepath.SkipDir
		}
		if n++; n > maxWatched {
			w.log.Warn("too many folders to watch; changes below the first ones are seen only through the editor", zap.String("root", root), zap.Int("watched", maxWatched))
			return filepath.SkipAll
		}
		if err := w.w.Add(p); err != nil {
			w.log.Debug("cannot watch", zap.String("dir", p), zap.Error(err))
		}
		return nil
	})
}

func (w *watcher) run() {
	for {
		select {
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				// A new directory must be watched too, with what is
				// already in it.
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					w.add(ev.Name)
				}
			}
			w.queue(ev.Name)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.log.Debug("watch error", zap.Error(err))
		case <-w.done:
			return
		}
	}
}

func (w *watcher) queue(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.batch[path] = true
	if w.timer == nil {
		w.timer = time.AfterFunc(watchBatch, w.flush)
	}
}

func (w *watcher) flush() {
	w.mu.Lock()
	paths := make([]string, 0, len(w.batch))
	for p := range w.batch {
		paths = append(paths, p)
	}
	w.batch = map[string]bool{}
	w.timer = nil
	w.mu.Unlock()
	if len(paths) > 0 {
		w.notify(paths)
	}
}

func (w *watcher) close() {
	close(w.done)
	w.w.Close()
}
