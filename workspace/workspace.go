package workspace

import (
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
	disk    map[string]*File // read from disk
	overlay map[string]*File // open editor buffers, which win over disk
	nextID  uint64
	snap    *Snapshot
}

// New scans the given roots.
func New(roots ...string) (*Workspace, error) {
	w := &Workspace{disk: map[string]*File{}, overlay: map[string]*File{}}
	for _, r := range roots {
		if err := w.addRoot(r); err != nil {
			return nil, err
		}
	}
	w.rebuild()
	return w, nil
}

func (w *Workspace) addRoot(root string) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	for _, r := range w.roots {
		if r == abs {
			return nil
		}
	}
	files, err := Scan(abs)
	if err != nil {
		return err
	}
	w.roots = append(w.roots, abs)
	sort.Strings(w.roots)
	for _, f := range files {
		w.disk[f.Abs] = f
	}
	return nil
}

// AddRoot scans another root into the workspace.
func (w *Workspace) AddRoot(root string) (*Snapshot, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.addRoot(root); err != nil {
		return w.snap, err
	}
	return w.rebuild(), nil
}

// RemoveRoot drops a root and its disk files; open buffers stay open.
func (w *Workspace) RemoveRoot(root string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	abs, _ := filepath.Abs(root)
	kept := w.roots[:0]
	for _, r := range w.roots {
		if r != abs {
			kept = append(kept, r)
		}
	}
	w.roots = kept
	for k, f := range w.disk {
		if f.Root == abs {
			delete(w.disk, k)
		}
	}
	return w.rebuild()
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
	w.nextID++
	w.snap = newSnapshot(w.nextID, append([]string(nil), w.roots...), files)
	return w.snap
}

func (w *Workspace) rootFor(abs string) string {
	best := ""
	for _, r := range w.roots {
		if within(r, abs) && len(r) > len(best) {
			best = r
		}
	}
	if best == "" {
		return filepath.Dir(abs)
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
	text, err := ApplyChanges(old.Text, changes)
	if err != nil {
		return w.snap, fmt.Errorf("%s: %w", abs, err)
	}
	f := newFile(old.Root, abs, text)
	f.Version, f.Open = version, true
	w.overlay[abs] = f
	return w.rebuild(), nil
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
	root := ""
	for _, r := range w.roots {
		if within(r, abs) && len(r) > len(root) {
			root = r
		}
	}
	if root == "" {
		return false
	}
	if info.IsDir() {
		files, err := Scan(abs)
		if err != nil {
			return false
		}
		changed := false
		seen := map[string]bool{}
		for _, f := range files {
			if !Wanted(root, f.Abs) {
				continue
			}
			seen[f.Abs] = true
			if w.put(root, f.Abs) {
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

func (w *Workspace) put(root, abs string) bool {
	f := ReadFile(root, abs)
	if old, ok := w.disk[abs]; ok && old.Hash == f.Hash && old.Err == nil && f.Err == nil {
		return false
	}
	w.disk[abs] = f
	return true
}
