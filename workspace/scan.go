package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds what the scanner reads; bigger files are listed
// with an error instead of being loaded whole into memory.
const MaxFileSize = 128 << 20

// Limits bound a scan, so that a root that turns out to be a home folder
// (or /) costs a bounded time and memory instead of freezing the server.
// What a limit cuts off is reported as Skipped.
type Limits struct {
	Files   int   // workspace files read
	Entries int   // folder entries looked at, workspace files or not
	Depth   int   // folder levels below the root
	Bytes   int64 // total size of the files read
}

// DefaultLimits are generous for a connector repository (the biggest
// known have a few thousand files and a 10 MB document) and keep a home
// folder opened by mistake to seconds and a few hundred MB.
var DefaultLimits = Limits{Files: 20_000, Entries: 200_000, Depth: 32, Bytes: 512 << 20}

// Skipped is something a scan did not read, and why.
type Skipped struct {
	Abs    string
	Reason string
	// Format is set for a document connls does not read ("AsciiDoc"):
	// not a problem of the workspace, but worth saying when generation
	// finds nothing to work from.
	Format string
}

// unreadFormats are document formats an API may be described in that
// connls does not read, by file extension.
var unreadFormats = map[string]string{
	".adoc": "AsciiDoc", ".asciidoc": "AsciiDoc", ".rst": "reStructuredText",
	".pdf": "PDF", ".docx": "Word", ".raml": "RAML", ".wsdl": "WSDL", ".graphql": "GraphQL",
}

// maxUnread bounds how many unread documents a scan lists.
const maxUnread = 50

// unread notes a document in a format connls does not read.
func (s *scanner) unread(p, name string) {
	format := unreadFormats[strings.ToLower(filepath.Ext(name))]
	if format == "" || strings.HasPrefix(name, ".") || s.unreadCount >= maxUnread {
		return
	}
	s.unreadCount++
	s.skipped = append(s.skipped, Skipped{Abs: p, Reason: format + " is not read", Format: format})
}

// skipDir reports whether a directory is never part of a workspace:
// version control, dependencies, build output and connls's own state.
func skipDir(name string) bool {
	switch name {
	case "node_modules", "target", "build", "out", "dist":
		return true
	}
	return strings.HasPrefix(name, ".") && name != "."
}

// Wanted reports whether a file at this path belongs to a workspace: a
// script, a manifest or a document that may describe the API.
func Wanted(root, abs string) bool {
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range parts[:len(parts)-1] {
		if skipDir(p) {
			return false
		}
	}
	return wantedName(parts[len(parts)-1])
}

func wantedName(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch strings.ToLower(name) {
	case "package.json", "package-lock.json", "tsconfig.json", "go.mod":
		return false
	}
	return Classify(name) != KindOther
}

// Scan finds a workspace's files under root and reads them, within the
// default limits.
func Scan(root string) ([]*File, error) {
	res, err := ScanContext(context.Background(), root, DefaultLimits)
	return res.Files, err
}

// ScanResult is what a scan found.
type ScanResult struct {
	Files   []*File
	Skipped []Skipped
}

// ScanContext finds a workspace's files under root and reads them. It
// follows symbolic links, to files and to folders (a linked root too),
// reading each real folder once, so a link loop ends; it stops at the
// limits and when ctx is done. Files keep the paths under root that led
// to them. Before it reads a folder with the journal of an interrupted
// write, it completes that write (see Recover).
func ScanContext(ctx context.Context, root string, lim Limits) (ScanResult, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return ScanResult{}, err
	}
	info, err := os.Stat(root)
	if err != nil {
		return ScanResult{}, err
	}
	if !info.IsDir() {
		return ScanResult{}, fmt.Errorf("%s: not a directory", root)
	}
	s := &scanner{ctx: ctx, lim: lim, root: root, dirs: map[string]string{}, files: map[string]string{}}
	err = s.dir(root, 0)
	if errors.Is(err, errLimit) {
		err = nil
	}
	if err == nil {
		s.out = append(s.out, moduleDocs(root)...)
		s.out = append(s.out, configListed(root, s.out)...)
	}
	return ScanResult{Files: s.out, Skipped: s.skipped}, err
}

var errLimit = errors.New("scan limit reached")

type scanner struct {
	ctx     context.Context
	lim     Limits
	root    string
	out     []*File
	skipped []Skipped
	// unreadCount counts the unread documents in skipped.
	unreadCount int
	entries     int
	bytes       int64
	dirs        map[string]string // real folder -> the path it was read as
	files       map[string]string // real file -> the path it was read as
}

func (s *scanner) skip(abs, format string, args ...any) {
	s.skipped = append(s.skipped, Skipped{Abs: abs, Reason: fmt.Sprintf(format, args...)})
}

// stop records that a limit ended the scan.
func (s *scanner) stop(abs, format string, args ...any) error {
	s.skip(abs, format, args...)
	return errLimit
}

func (s *scanner) dir(dir string, depth int) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		if dir == s.root {
			return err
		}
		s.skip(dir, "cannot resolve the folder: %v", err)
		return nil
	}
	if first, seen := s.dirs[real]; seen {
		s.skip(dir, "the same folder as %s (a symbolic link loop or a second link to it); read once", first)
		return nil
	}
	s.dirs[real] = dir
	entries, err := os.ReadDir(dir)
	if err != nil {
		if dir == s.root {
			return err
		}
		s.skip(dir, "cannot read the folder: %v", unwrapPath(err))
		return nil
	}
	if hasJournal(entries) {
		if changed, err := recoverDir(dir); err != nil {
			s.skip(filepath.Join(dir, journalDir), "an interrupted write could not be completed: %v", err)
		} else if changed {
			if entries, err = os.ReadDir(dir); err != nil {
				s.skip(dir, "cannot read the folder: %v", unwrapPath(err))
				return nil
			}
		}
	}
	for _, e := range entries {
		s.entries++
		if s.entries > s.lim.Entries {
			return s.stop(dir, "stopped after looking at %d entries: a workspace root should be a connector's folder", s.lim.Entries)
		}
		if err := s.entry(dir, real, e, depth); err != nil {
			return err
		}
	}
	return nil
}

func hasJournal(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.Name() == journalDir {
			return true
		}
	}
	return false
}

func (s *scanner) entry(dir, realDir string, e fs.DirEntry, depth int) error {
	name := e.Name()
	p := filepath.Join(dir, name)
	typ := e.Type()
	if typ&fs.ModeSymlink != 0 {
		info, err := os.Stat(p)
		if err != nil {
			if wantedName(name) {
				// Reported against the file itself: it is one of the
				// workspace's, and cannot be read.
				f := newFile(s.root, p, nil)
				f.Err = fmt.Errorf("it is a symbolic link to %s, which cannot be read: %v", linkText(p), unwrapPath(err))
				s.out = append(s.out, f)
			} else if !skipDir(name) {
				s.skip(p, "a symbolic link to %s, which cannot be read: %v", linkText(p), unwrapPath(err))
			}
			return nil
		}
		if info.IsDir() {
			return s.subdir(p, name, depth)
		}
		if !info.Mode().IsRegular() || !wantedName(name) {
			return nil
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			real = p
		}
		return s.file(p, real)
	}
	if e.IsDir() {
		return s.subdir(p, name, depth)
	}
	if !typ.IsRegular() || !wantedName(name) {
		s.unread(p, name)
		return nil
	}
	return s.file(p, filepath.Join(realDir, name))
}

func (s *scanner) subdir(p, name string, depth int) error {
	if skipDir(name) {
		return nil
	}
	if depth+1 > s.lim.Depth {
		s.skip(p, "more than %d folder levels below the workspace root", s.lim.Depth)
		return nil
	}
	return s.dir(p, depth+1)
}

// file reads a workspace file, whose size is taken once it is open (a
// stat of each file before reading it was a tenth of a 1,000-file scan).
func (s *scanner) file(p, real string) error {
	if first, seen := s.files[real]; seen {
		s.skip(p, "the same file as %s; read once", first)
		return nil
	}
	if len(s.out) >= s.lim.Files {
		return s.stop(p, "stopped after %d files: connls reads at most %d files of a workspace", s.lim.Files, s.lim.Files)
	}
	// The limit on bytes and the context, before the file is read.
	check := func(size int64) error {
		if size <= MaxFileSize && s.bytes+size > s.lim.Bytes {
			return s.stop(p, "stopped after reading %d MB: connls reads at most %d MB of a workspace", s.bytes>>20, s.lim.Bytes>>20)
		}
		return s.ctx.Err()
	}
	var stop error
	text, size, err := readTextIf(p, func(size int64) bool {
		stop = check(size)
		return stop == nil && size <= MaxFileSize
	})
	if stop != nil {
		return stop
	}
	s.files[real] = p
	f := fileRead(s.root, p, text, size, err)
	s.bytes += int64(len(f.Text))
	s.out = append(s.out, f)
	return nil
}

// unwrapPath drops the path of a PathError, which the finding that
// reports it already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads one workspace file from disk. Errors are kept on the
// file so that they can be reported against it.
func ReadFile(root, abs string) *File {
	text, size, err := readText(abs, MaxFileSize)
	return fileRead(root, abs, text, size, err)
}

// readText reads a file unless its size is above limit, and returns its
// size.
func readText(abs string, limit int64) ([]byte, int64, error) {
	return readTextIf(abs, func(size int64) bool { return size <= limit })
}

// fileRead is the File of what readText gave.
func fileRead(root, abs string, text []byte, size int64, err error) *File {
	if size > MaxFileSize {
		f := newFile(root, abs, nil)
		f.Err = fmt.Errorf("file is %d MB, more than the %d MB connls reads", size>>20, MaxFileSize>>20)
		return f
	}
	f := newFile(root, abs, text)
	if err != nil {
		f.Err = unwrapPath(err)
	}
	return f
}

// moduleDocFolders are where a Maven module keeps the documents of its
// connector, relative to the module (src/test/resouces is a spelling
// real connectors use).
var moduleDocFolders = []string{"docs", "src/test/resources", "src/test/resouces"}

// moduleJava is where the Java connector classes that load the scripts by
// name live.
const moduleJava = "src/main/java"

// maxModuleDocs bounds the documents read from around a resources root.
const maxModuleDocs = 100

// moduleDocs reads the documents and Java connector classes of the Maven
// module whose src/main/resources is root: a workspace opened at the
// resources folder sees the API descriptions the module keeps beside it,
// and which scripts its Java class loads, as one opened at the module
// does. A folder that holds scripts is a test workspace, not
// documentation, and is left out. The files keep root as their root.
func moduleDocs(root string) []*File {
	if filepath.Base(root) != "resources" || filepath.Base(filepath.Dir(root)) != "main" || filepath.Base(filepath.Dir(filepath.Dir(root))) != "src" {
		return nil
	}
	module := filepath.Dir(filepath.Dir(filepath.Dir(root)))
	if _, err := os.Stat(filepath.Join(module, "pom.xml")); err != nil {
		return nil
	}
	var out []*File
	for _, sub := range append([]string{moduleJava}, moduleDocFolders...) {
		java := sub == moduleJava
		dir := filepath.Join(module, filepath.FromSlash(sub))
		var found []string
		scripts := false
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case d.IsDir() && p != dir && (skipDir(d.Name()) || !java && strings.Count(p[len(dir):], string(filepath.Separator)) > 3):
				return filepath.SkipDir
			case d.IsDir() || !d.Type().IsRegular() || !wantedName(d.Name()):
				return nil
			}
			k := Classify(d.Name())
			scripts = scripts || !java && (k.IsScript() || k == KindManifest)
			if (java && k == KindJava || !java && k.IsDoc()) && len(found) < maxModuleDocs {
				found = append(found, p)
			}
			return nil
		})
		if scripts {
			continue
		}
		for _, p := range found {
			out = append(out, ReadFile(root, p))
		}
	}
	// The module's connls.yaml (the documents it lists come with it).
	if cfg := ReadFile(root, filepath.Join(module, ConfigName)); cfg.Err == nil {
		out = append(out, cfg)
	}
	return out
}

// configListed reads the documents the connls.yaml files among files list
// and files does not hold (those outside the root): a connector's
// documents may live elsewhere in its repository.
func configListed(root string, files []*File) []*File {
	have := map[string]bool{}
	for _, f := range files {
		have[f.Abs] = true
	}
	var out []*File
	for _, cfg := range files {
		if cfg.Kind != KindConfig || cfg.Err != nil {
			continue
		}
		for _, pattern := range ConfigDocs(cfg.Abs, cfg.Text) {
			matches, _ := filepath.Glob(pattern)
			for _, p := range matches {
				if !have[p] && Classify(p).IsDoc() && len(out) < maxModuleDocs {
					have[p] = true
					out = append(out, ReadFile(root, p))
				}
			}
		}
	}
	return out
}
