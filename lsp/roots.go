package lsp

import (
	"context"
	"os"
	"path/filepath"
	"sync"

	"go.uber.org/zap"

	"github.com/connls/connls/workspace"
)

// A file opened outside every workspace folder is analysed alone, or
// with the connector folder it sits in: the nearest folder above it, at
// most connectorLevels up, with a connector.manifest.*. That folder is
// scanned within connectorLimits, in the background. connls never scans
// the folder around a lone file, which may be a home folder or /.
const connectorLevels = 4

var connectorLimits = workspace.Limits{Files: 2_000, Entries: 50_000, Depth: 8, Bytes: 256 << 20}

// rootLoader scans folders off the request path: messages behind a
// didOpen or a didChangeWorkspaceFolders are answered while it reads.
// Stopping the server cancels the scans in progress.
type rootLoader struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newRootLoader() *rootLoader {
	l := &rootLoader{}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

// run runs f in the background with the loader's context.
func (l *rootLoader) run(f func(ctx context.Context)) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f(l.ctx)
	}()
}

func (l *rootLoader) stop() {
	l.cancel()
	l.wg.Wait()
}

// openOutside places a file that no workspace folder holds: alone at
// once, then with its connector folder if the background search finds
// one.
func (s *Server) openOutside(ws *workspace.Workspace, abs string) {
	ws.AddAlone(filepath.Dir(abs))
	s.loads.run(func(ctx context.Context) {
		dir := connectorFolder(abs)
		if dir == "" {
			return
		}
		if _, err := ws.AddRoot(ctx, dir, connectorLimits); err != nil {
			s.log.Warn("cannot read the connector folder of an opened file", zap.String("file", abs), zap.Error(err))
			return
		}
		s.log.Info("connector folder of an opened file", zap.String("file", abs), zap.String("folder", dir))
		s.analyze.schedule()
	})
}

// connectorFolder returns the nearest folder above abs with a connector
// manifest, at most connectorLevels up, or "".
func connectorFolder(abs string) string {
	dir := filepath.Dir(abs)
	for range connectorLevels {
		for _, name := range []string{"connector.manifest.json", "connector.manifest.yaml", "connector.manifest.yml"} {
			if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().IsRegular() {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

// addFolder scans a workspace folder the client added, in the background.
func (s *Server) addFolder(ws *workspace.Workspace, w *watcher, p string) {
	s.loads.run(func(ctx context.Context) {
		if _, err := ws.AddRoot(ctx, p, workspace.DefaultLimits); err != nil {
			s.log.Warn("cannot add workspace folder", zap.String("folder", p), zap.Error(err))
			return
		}
		if w != nil {
			w.add(p)
		}
		s.analyze.schedule()
	})
}
