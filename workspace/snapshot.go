package workspace

import (
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Hash identifies a file's content; analysis caches results by it.
type Hash [sha256.Size]byte

// HashOf returns the content hash of text.
func HashOf(text []byte) Hash { return sha256.Sum256(text) }

// File is one file of a snapshot. Files are never modified once they
// belong to a snapshot: an edit makes a new File.
type File struct {
	Abs     string // absolute path, native separators
	Root    string // absolute path of the workspace root that holds it
	Path    string // slash-separated path relative to Root
	Kind    Kind
	Text    []byte
	Hash    Hash
	Version int32 // editor version; 0 when read from disk
	Open    bool  // an editor buffer, not the disk, holds the text
	Err     error // set when the file could not be read

	// The line index is built on first use: analysis workers and request
	// handlers read the same File at once, so it is built exactly once.
	linesOnce sync.Once
	lines     *Lines
}

func newFile(root, abs string, text []byte) *File {
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		rel = filepath.Base(abs)
	}
	return &File{
		Abs:  abs,
		Root: root,
		Path: filepath.ToSlash(rel),
		Kind: Classify(abs),
		Text: text,
		Hash: HashOf(text),
	}
}

// Lines returns the file's line index, built on first use. It is safe
// for concurrent use.
func (f *File) Lines() *Lines {
	f.linesOnce.Do(func() { f.lines = NewLines(f.Text) })
	return f.lines
}

// Snapshot is an immutable view of a workspace: the files on disk with
// the open editor buffers laid over them. Analysis reads only snapshots,
// so it never sees half of an edit.
type Snapshot struct {
	ID    uint64
	Roots []string
	// Skipped lists what the scans of the roots did not read, and why.
	Skipped []Skipped
	alone   map[string]bool // roots of lone buffers, not scanned
	files   map[string]*File
	order   []*File // files in path order
}

func newSnapshot(id uint64, roots []string, alone map[string]bool, skipped []Skipped, files map[string]*File) *Snapshot {
	order := make([]*File, 0, len(files))
	for _, f := range files {
		order = append(order, f)
	}
	slices.SortFunc(order, func(a, b *File) int { return strings.Compare(a.Abs, b.Abs) })
	return &Snapshot{ID: id, Roots: roots, alone: alone, Skipped: skipped, files: files, order: order}
}

// replacing returns a copy of s where f takes the place of the file at
// its path, which s holds: the snapshot of an edit. The file set is the
// same, so the order is not sorted again and the map is cloned, not
// rebuilt; an edit of one buffer in a workspace of a thousand files
// pays for neither after every keystroke.
func (s *Snapshot) replacing(id uint64, f *File) *Snapshot {
	i, ok := slices.BinarySearchFunc(s.order, f.Abs, func(g *File, abs string) int { return strings.Compare(g.Abs, abs) })
	if !ok {
		panic("workspace: replacing a file the snapshot does not hold: " + f.Abs)
	}
	files := maps.Clone(s.files)
	files[f.Abs] = f
	order := slices.Clone(s.order)
	order[i] = f
	return &Snapshot{ID: id, Roots: slices.Clone(s.Roots), alone: maps.Clone(s.alone), Skipped: slices.Clone(s.Skipped), files: files, order: order}
}

// Files returns the snapshot's files in path order.
func (s *Snapshot) Files() []*File { return slices.Clone(s.order) }

// File returns the file at an absolute path, or nil.
func (s *Snapshot) File(abs string) *File {
	// Paths are kept clean: one that is found as given needs no
	// cleaning, which costs more than the lookup (analysis asks for
	// every file of a workspace after every edit).
	if f, ok := s.files[abs]; ok {
		return f
	}
	return s.files[filepath.Clean(abs)]
}

// Exists reports whether a file is in the snapshot, or, outside what
// was scanned (a folder past the scan's limits, a connector opened from
// one file), a regular file on disk. It is how analysis, which does no
// I/O of its own, asks whether a script a manifest lists is there.
func (s *Snapshot) Exists(abs string) bool {
	if s.File(abs) != nil {
		return true
	}
	info, err := os.Stat(abs)
	return err == nil && info.Mode().IsRegular()
}

// Len returns the number of files.
func (s *Snapshot) Len() int { return len(s.order) }

// RootOf returns the workspace root that contains abs, or "". The root
// of lone buffers (see Workspace.AddAlone) contains only the files of its
// own folder.
func (s *Snapshot) RootOf(abs string) string {
	best := ""
	for _, r := range s.Roots {
		if s.alone[r] && filepath.Dir(abs) != r {
			continue
		}
		if within(r, abs) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// Alone reports whether root is the root of lone buffers, not scanned.
func (s *Snapshot) Alone(root string) bool { return s.alone[root] }

// within reports whether path lies inside dir (or is dir).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Within reports whether path lies inside dir. Faces use it to refuse
// writes outside the workspace.
func Within(dir, path string) bool { return within(filepath.Clean(dir), filepath.Clean(path)) }
