package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// ErrStaleVersion is returned for an edit whose version is not newer
// than the buffer's: applying it would lose the user's later edits.
var ErrStaleVersion = errors.New("stale document version")

// Workspace holds the files of one or more roots and the open editor
// buffers over them. It hands out immutable snapshots; every change makes
// a new one. It is safe for concurrent use.
type Workspace struct {
	mu      sync.Mutex
	roots   []string
	alone   map[string]bool // roots that are not scanned: see AddAlone
	skipped map[string][]Skipped
	disk    map[string]*File // read from disk
	overlay map[string]*File // open editor buffers, which win over disk
	nextID  uint64
	snap    *Snapshot
}

// New scans the given roots within the default limits.
func New(roots ...string) (*Workspace, error) {
	return Load(context.Background(), DefaultLimits, roots...)
}

// Load scans the given roots within lim; it stops when ctx is done.
func Load(ctx context.Context, lim Limits, roots ...string) (*Workspace, error) {
	w := &Workspace{disk: map[string]*File{}, overlay: map[string]*File{}, alone: map[string]bool{}, skipped: map[string][]Skipped{}}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, err
		}
		res, err := ScanContext(ctx, abs, lim)
		if err != nil {
			return nil, err
		}
		w.addRoot(abs, res)
	}
	w.rebuild()
	return w, nil
}

func (w *Workspace) hasRoot(abs string) bool {
	for _, r := range w.roots {
		if r == abs && !w.alone[r] {
			return true
		}
	}
	return false
}

// addRoot adds a scanned root with what its scan found.
func (w *Workspace) addRoot(abs string, res ScanResult) {
	if w.hasRoot(abs) {
		return
	}
	if w.alone[abs] {
		delete(w.alone, abs)
	} else {
		w.roots = append(w.roots, abs)
		sort.Strings(w.roots)
	}
	for _, f := range res.Files {
		w.disk[f.Abs] = f
	}
	w.skipped[abs] = res.Skipped
	w.dropLoneRoots()
	w.reroot()
}

// AddRoot scans another root into the workspace, within lim. The scan
// runs without holding the workspace, so edits go on meanwhile; it stops
// when ctx is done.
func (w *Workspace) AddRoot(ctx context.Context, root string, lim Limits) (*Snapshot, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return w.Snapshot(), err
	}
	w.mu.Lock()
	known := w.hasRoot(abs)
	w.mu.Unlock()
	if known {
		return w.Snapshot(), nil
	}
	res, err := ScanContext(ctx, abs, lim)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		return w.snap, err
	}
	w.addRoot(abs, res)
	return w.rebuild(), nil
}

// AddAlone makes dir a root that is not scanned: its files are the
// buffers open in dir itself, analysed on their own. An editor that opens
// a file outside every workspace folder gets it analysed without connls
// reading the folder around it, which may be a home folder or /.
func (w *Workspace) AddAlone(dir string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	dir = filepath.Clean(dir)
	for _, r := range w.roots {
		if r == dir {
			return w.snap
		}
	}
	w.roots = append(w.roots, dir)
	sort.Strings(w.roots)
	w.alone[dir] = true
	w.reroot()
	return w.rebuild()
}

// RemoveRoot drops a root and its disk files; open buffers stay open.
func (w *Workspace) RemoveRoot(root string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	abs, _ := filepath.Abs(root)
	w.removeRoot(abs)
	for k, f := range w.disk {
		if f.Root == abs {
			delete(w.disk, k)
		}
	}
	w.reroot()
	return w.rebuild()
}

func (w *Workspace) removeRoot(abs string) {
	kept := w.roots[:0]
	for _, r := range w.roots {
		if r != abs {
			kept = append(kept, r)
		}
	}
	w.roots = kept
	delete(w.alone, abs)
	delete(w.skipped, abs)
}

// dropLoneRoots drops the roots of lone buffers that a scanned root holds
// or that have no buffer left.
func (w *Workspace) dropLoneRoots() {
	for r := range w.alone {
		used := false
		for _, f := range w.overlay {
			used = used || filepath.Dir(f.Abs) == r
		}
		if !used || w.scannedRootFor(r) != "" {
			w.removeRoot(r)
		}
	}
}

// reroot gives every open buffer the root that holds it now.
func (w *Workspace) reroot() {
	for k, f := range w.overlay {
		if root := w.rootFor(f.Abs); root != f.Root {
			g := newFile(root, f.Abs, f.Text)
			g.Version, g.Open, g.Err = f.Version, f.Open, f.Err
			w.overlay[k] = g
		}
	}
}

// Roots returns the workspace roots.
func (w *Workspace) Roots() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.roots...)
}

// Snapshot returns the current snapshot.
func (w *Workspace) Snapshot() *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.snap
}

func (w *Workspace) rebuild() *Snapshot {
	files := make(map[string]*File, len(w.disk)+len(w.overlay))
	for k, f := range w.disk {
		files[k] = f
	}
	for k, f := range w.overlay {
		files[k] = f
	}
	var skipped []Skipped
	for _, r := range w.roots {
		skipped = append(skipped, w.skipped[r]...)
	}
	alone := make(map[string]bool, len(w.alone))
	for r := range w.alone {
		alone[r] = true
	}
	w.nextID++
	w.snap = newSnapshot(w.nextID, append([]string(nil), w.roots...), alone, skipped, files)
	return w.snap
}

// rootFor returns the root of a file: the deepest scanned root that holds
// it, else the lone root of its folder, else its folder.
func (w *Workspace) rootFor(abs string) string {
	if r := w.scannedRootFor(abs); r != "" {
		return r
	}
	return filepath.Dir(abs)
}

func (w *Workspace) scannedRootFor(abs string) string {
	best := ""
	for _, r := range w.roots {
		if !w.alone[r] && within(r, abs) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// Open records an editor buffer.
func (w *Workspace) Open(abs string, version int32, text []byte) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	abs = filepath.Clean(abs)
	f := newFile(w.rootFor(abs), abs, text)
	f.Version, f.Open = version, true
	w.overlay[abs] = f
	return w.rebuild()
}

// Change applies editor changes to an open buffer. A version that is not
// newer than the buffer's is refused with ErrStaleVersion.
func (w *Workspace) Change(abs string, version int32, changes []Change) (*Snapshot, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	abs = filepath.Clean(abs)
	old, ok := w.overlay[abs]
	if !ok {
		return w.snap, fmt.Errorf("%s: change to a document that is not open", abs)
	}
	if version <= old.Version {
		return w.snap, fmt.Errorf("%s: version %d after %d: %w", abs, version, old.Version, ErrStaleVersion)
	}
	text, err := applyChanges(old.Text, old.Lines(), changes)
	if err != nil {
		return w.snap, fmt.Errorf("%s: %w", abs, err)
	}
	f := newFile(old.Root, abs, text)
	f.Version, f.Open = version, true
	w.overlay[abs] = f
	// Every change of disk or overlay rebuilds w.snap, so it holds old
	// at abs: only that file differs.
	w.nextID++
	w.snap = w.snap.replacing(w.nextID, f)
	return w.snap, nil
}

// Close drops an editor buffer; the disk content shows again.
func (w *Workspace) Close(abs string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	abs = filepath.Clean(abs)
	delete(w.overlay, abs)
	if _, ok := w.disk[abs]; !ok {
		// A file opened from outside the scan (or created unsaved) may
		// exist on disk by now.
		w.refresh(abs)
	}
	w.dropLoneRoots()
	w.reroot()
	return w.rebuild()
}

// Version returns the version of an open buffer and whether it is open.
func (w *Workspace) Version(abs string) (int32, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, ok := w.overlay[filepath.Clean(abs)]
	if !ok {
		return 0, false
	}
	return f.Version, true
}

// DiskChanged re-reads the given paths (created, changed or deleted
// files, or whole directories) and returns the new snapshot and whether
// anything changed.
func (w *Workspace) DiskChanged(paths ...string) (*Snapshot, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := false
	for _, p := range paths {
		if w.refresh(filepath.Clean(p)) {
			changed = true
		}
	}
	if !changed {
		return w.snap, false
	}
	return w.rebuild(), true
}

// refresh brings the disk state of one path up to date.
func (w *Workspace) refresh(abs string) bool {
	info, err := os.Stat(abs)
	if err != nil {
		// Deleted: drop the file, or everything under a deleted directory.
		changed := false
		for k := range w.disk {
			if k == abs || within(abs, k) {
				delete(w.disk, k)
				changed = true
			}
		}
		return changed
	}
	root := w.scannedRootFor(abs)
	if root == "" {
		return false
	}
	if info.IsDir() {
		res, err := ScanContext(context.Background(), abs, DefaultLimits)
		if err != nil {
			return false
		}
		changed := false
		seen := map[string]bool{}
		for _, f := range res.Files {
			if !Wanted(root, f.Abs) {
				continue
			}
			seen[f.Abs] = true
			if w.putFile(newFileLike(root, f)) {
				changed = true
			}
		}
		for k := range w.disk {
			if within(abs, k) && !seen[k] {
				delete(w.disk, k)
				changed = true
			}
		}
		return changed
	}
	if !Wanted(root, abs) {
		return false
	}
	return w.put(root, abs)
}

func (w *Workspace) put(root, abs string) bool { return w.putFile(ReadFile(root, abs)) }

// newFileLike is f under another root.
func newFileLike(root string, f *File) *File {
	g := newFile(root, f.Abs, f.Text)
	g.Err = f.Err
	return g
}

func (w *Workspace) putFile(f *File) bool {
	abs := f.Abs
	if old, ok := w.disk[abs]; ok && old.Hash == f.Hash && old.Err == nil && f.Err == nil {
		return false
	}
	w.disk[abs] = f
	return true
}

// InMemory returns a workspace of the given files, by path relative to
// root, without touching the disk: root need not exist, and nothing is
// scanned or written. The HTTP API lays a session's documents and
// scripts out this way. A path that would leave root is an error.
func InMemory(root string, files map[string][]byte) (*Workspace, error) {
	root = filepath.Clean(root)
	w := &Workspace{roots: []string{root}, disk: map[string]*File{}, overlay: map[string]*File{}, alone: map[string]bool{}, skipped: map[string][]Skipped{}}
	for rel, data := range files {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		if !within(root, abs) || abs == root {
			return nil, fmt.Errorf("%s: not a file under %s", rel, root)
		}
		w.disk[abs] = newFile(root, abs, data)
	}
	w.rebuild()
	return w, nil
}
