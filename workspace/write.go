package workspace

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Every file connls writes goes through WriteFiles: to a temporary file in
// the target's folder, synced, then renamed over the target, so a reader
// sees the old content or the new one and never a truncated mix. A change
// of several files is written with a journal, so that an interruption (a
// kill, a crash, a full disk) leaves either the old state or the new one:
//
//  1. every new content goes to a temporary file, synced; a failure here
//     (a full disk) removes them and changes nothing;
//  2. the journal, listing the renames, is written the same way: from then
//     on the change counts as made;
//  3. the temporary files are renamed over their targets, the folders
//     synced, and the journal removed.
//
// Recover completes the renames of a journal left by an interrupted
// change; the scanner calls it before it reads a folder with one.

// A Write is one file of a change.
type Write struct {
	Abs  string // where the file goes
	Data []byte
	// Perm is the mode of a new file (0644 when zero); an existing file
	// keeps its own.
	Perm fs.FileMode
	// Check, when set, is called with the file's current content (and
	// whether it exists) once its real location is known; an error stops
	// the change before anything is written.
	Check func(current []byte, exists bool) error
}

// ErrOutside marks a write refused because the file's real location,
// after symbolic links, is outside the workspace.
var ErrOutside = errors.New("outside the workspace")

// journalDir holds the journals of interrupted changes, in the folder
// that contains every file of the change.
const journalDir = ".connls"

// tempMark is in the name of every temporary file, which is hidden: the
// scanner never takes one for a workspace file.
const tempMark = ".connls-tmp-"

// WriteFile writes one file atomically. root is the workspace root: the
// file's real location must lie inside root's real location.
func WriteFile(root string, w Write) error { return WriteFiles([]string{root}, []Write{w}) }

// WriteFiles writes files as one change: afterwards every file has its new
// content, or, if it fails or is interrupted, every file keeps its old
// one. Each file's real location must lie inside the real location of the
// root that contains it; a symbolic link that points outside, or nowhere,
// is refused with an error that says so.
func WriteFiles(roots []string, writes []Write) error {
	if len(writes) == 0 {
		return nil
	}
	targets := make([]target, len(writes))
	for i, w := range writes {
		root := rootContaining(roots, w.Abs)
		if root == "" {
			return fmt.Errorf("refusing to write %s: %w", w.Abs, ErrOutside)
		}
		t, err := resolveTarget(root, w.Abs)
		if err != nil {
			return err
		}
		t.data, t.perm = w.Data, w.Perm
		targets[i] = t
	}
	for i, w := range writes {
		if w.Check == nil {
			continue
		}
		var cur []byte
		if targets[i].exists {
			var err error
			if cur, err = os.ReadFile(targets[i].real); err != nil {
				return fmt.Errorf("reading %s: %w", w.Abs, err)
			}
		}
		if err := w.Check(cur, targets[i].exists); err != nil {
			return err
		}
	}
	if len(targets) == 1 {
		return writeOne(targets[0])
	}
	common := targets[0].real
	for _, t := range targets {
		if t.rootReal != targets[0].rootReal {
			return fmt.Errorf("refusing to write %s and %s as one change: they are in different workspace folders", targets[0].abs, t.abs)
		}
		for !within(common, t.real) {
			common = filepath.Dir(common)
		}
	}
	if common == targets[0].real {
		common = filepath.Dir(common)
	}
	// The journal goes in common/.connls, which may itself be a link.
	journal, err := resolveTarget(targets[0].rootReal, filepath.Join(common, journalDir, "journal"))
	if err != nil {
		return err
	}
	if err := Recover(common); err != nil {
		return err
	}
	return writeJournaled(common, filepath.Dir(journal.real), targets)
}

// target is a write with its real location resolved.
type target struct {
	abs      string // as asked
	real     string // where it lands, after symbolic links
	rootReal string
	exists   bool
	mode     fs.FileMode
	data     []byte
	perm     fs.FileMode
	temp     string
}

func rootContaining(roots []string, abs string) string {
	best := ""
	for _, r := range roots {
		if Within(r, abs) && len(r) > len(best) {
			best = filepath.Clean(r)
		}
	}
	return best
}

// resolveTarget finds where a write to abs would land and refuses it when
// that is outside root's real location, or when a symbolic link on the
// way points nowhere.
func resolveTarget(root, abs string) (target, error) {
	abs = filepath.Clean(abs)
	t := target{abs: abs}
	rootReal, err := filepath.EvalSymlinks(root)
	if err != nil {
		return t, fmt.Errorf("refusing to write %s: the workspace %s: %w", abs, root, err)
	}
	t.rootReal = rootReal
	info, err := os.Lstat(abs)
	switch {
	case err == nil && info.Mode()&fs.ModeSymlink != 0:
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return t, fmt.Errorf("refusing to write %s: it is a symbolic link to %s, which does not exist; connls does not create files through links", abs, linkText(abs))
		}
		t.real = real
	case err == nil:
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return t, fmt.Errorf("refusing to write %s: %w", abs, err)
		}
		t.real = filepath.Join(dir, filepath.Base(abs))
	case errors.Is(err, fs.ErrNotExist):
		real, err := resolveMissing(abs)
		if err != nil {
			return t, err
		}
		t.real = real
	default:
		return t, fmt.Errorf("refusing to write %s: %w", abs, err)
	}
	if !within(rootReal, t.real) {
		where := t.real
		if l := linkOnPath(root, abs); l != "" {
			where = fmt.Sprintf("%s (%s is a symbolic link to %s)", t.real, l, linkText(l))
		}
		return t, fmt.Errorf("refusing to write %s: it would land in %s, %w %s", abs, where, ErrOutside, rootReal)
	}
	if info, err := os.Stat(t.real); err == nil {
		if !info.Mode().IsRegular() {
			return t, fmt.Errorf("refusing to write %s: it is not a regular file", abs)
		}
		t.exists, t.mode = true, info.Mode().Perm()
	}
	return t, nil
}

// resolveMissing resolves the real location of a file that does not exist
// yet: its nearest existing folder, resolved, with the rest of the path.
func resolveMissing(abs string) (string, error) {
	rest := filepath.Base(abs)
	dir := filepath.Dir(abs)
	for {
		info, err := os.Lstat(dir)
		if err == nil {
			real, err := filepath.EvalSymlinks(dir)
			if err != nil {
				return "", fmt.Errorf("refusing to write %s: %s is a symbolic link to %s, which does not exist", abs, dir, linkText(dir))
			}
			if info, err = os.Stat(real); err != nil || !info.IsDir() {
				return "", fmt.Errorf("refusing to write %s: %s is not a folder", abs, dir)
			}
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("refusing to write %s: %w", abs, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("refusing to write %s: no folder of it exists", abs)
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// linkOnPath returns the first symbolic link between root and abs, or "".
func linkOnPath(root, abs string) string {
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return ""
	}
	p := filepath.Clean(root)
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		if info, err := os.Lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			return p
		}
	}
	return ""
}

func linkText(p string) string {
	dest, err := os.Readlink(p)
	if err != nil {
		return "?"
	}
	return dest
}

// writeOne writes a single file: a rename is atomic on its own.
func writeOne(t target) error {
	if err := prepare(&t); err != nil {
		return err
	}
	if err := os.Rename(t.temp, t.real); err != nil {
		os.Remove(t.temp)
		return fmt.Errorf("writing %s: %w", t.abs, err)
	}
	return syncDir(filepath.Dir(t.real))
}

// prepare writes a target's content to a synced temporary file beside it,
// creating the folders it needs.
func prepare(t *target) error {
	dir := filepath.Dir(t.real)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", t.abs, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(t.real)+tempMark+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", t.abs, err)
	}
	t.temp = f.Name()
	mode := t.perm
	if t.exists {
		mode = t.mode
	} else if mode == 0 {
		mode = 0o644
	}
	err = writeTemp(f, t.data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(t.temp)
		return fmt.Errorf("writing %s: %w; the file is unchanged", t.abs, err)
	}
	return nil
}

// writeTemp writes and syncs a temporary file. Tests replace it to
// simulate a full disk where no small file system can be mounted.
var writeTemp = func(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// journal lists the renames of a change, relative to its folder.
type journal struct {
	Renames []rename `json:"renames"`
}

type rename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func writeJournaled(common, jdir string, targets []target) error {
	for i := range targets {
		if err := prepare(&targets[i]); err != nil {
			removeTemps(targets[:i])
			return fmt.Errorf("%w; nothing was changed", err)
		}
	}
	var j journal
	for _, t := range targets {
		from, _ := filepath.Rel(common, t.temp)
		to, _ := filepath.Rel(common, t.real)
		j.Renames = append(j.Renames, rename{From: filepath.ToSlash(from), To: filepath.ToSlash(to)})
	}
	data, err := json.Marshal(j)
	if err != nil {
		removeTemps(targets)
		return err
	}
	jt := target{abs: filepath.Join(jdir, "commit-"+randomName()+".json"), data: data, perm: 0o644}
	jt.real = jt.abs
	if err := writeOne(jt); err != nil {
		removeTemps(targets)
		return fmt.Errorf("%w; nothing was changed", err)
	}
	// The change is made: what follows is completed by Recover if it is
	// interrupted.
	return applyJournal(common, jt.real, j)
}

func removeTemps(targets []target) {
	for _, t := range targets {
		if t.temp != "" {
			os.Remove(t.temp)
		}
	}
}

func randomName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// applyJournal renames what a journal lists, syncs the folders and
// removes the journal. A temporary file that is gone was renamed before.
func applyJournal(dir, path string, j journal) error {
	dirs := map[string]bool{}
	var first error
	for _, r := range j.Renames {
		from := filepath.Join(dir, filepath.FromSlash(r.From))
		to := filepath.Join(dir, filepath.FromSlash(r.To))
		if err := os.Rename(from, to); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = fmt.Errorf("writing %s: %w", to, err)
		}
		dirs[filepath.Dir(to)] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return fmt.Errorf("%w (the change is completed the next time connls reads %s)", first, dir)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return err
	}
	// An empty journal folder goes too: it would show in the connector's
	// sources (git status, the jar). One that is a link, or holds other
	// journals, stays.
	jdir := filepath.Join(dir, journalDir)
	if fi, err := os.Lstat(jdir); err == nil && fi.IsDir() && os.Remove(jdir) == nil {
		return syncDir(dir)
	}
	return nil
}

// Recover completes the changes that an interruption left half made in
// dir, as their journals in dir/.connls list them. It reports whether it
// changed anything. A journal that names files outside dir, or a
// temporary file that is not one of connls's, is refused and left alone.
func Recover(dir string) error {
	_, err := recoverDir(dir)
	return err
}

func recoverDir(dir string) (bool, error) {
	jdir := filepath.Join(dir, journalDir)
	names, err := filepath.Glob(filepath.Join(jdir, "commit-*.json"))
	if err != nil || len(names) == 0 {
		// A journal folder an interruption left empty goes.
		if fi, err := os.Lstat(jdir); err == nil && fi.IsDir() {
			os.Remove(jdir)
		}
		return false, nil
	}
	dirReal, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false, err
	}
	if real, err := filepath.EvalSymlinks(jdir); err != nil || !within(dirReal, real) {
		return false, fmt.Errorf("%s: a journal of an interrupted change, in a folder outside %s; left alone", jdir, dir)
	}
	changed := false
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return changed, err
		}
		var j journal
		if err := json.Unmarshal(data, &j); err != nil {
			return changed, fmt.Errorf("%s: a damaged journal of an interrupted change: %w", name, err)
		}
		for _, r := range j.Renames {
			if !filepath.IsLocal(filepath.FromSlash(r.From)) || !filepath.IsLocal(filepath.FromSlash(r.To)) ||
				!strings.Contains(filepath.Base(r.From), tempMark) || filepath.Dir(r.From) != filepath.Dir(r.To) {
				return changed, fmt.Errorf("%s: a journal that does not describe a change of connls's; left alone", name)
			}
			if _, err := resolveTarget(dir, filepath.Join(dir, filepath.FromSlash(r.To))); err != nil {
				return changed, fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := applyJournal(dir, name, j); err != nil {
			return changed, err
		}
		changed = true
	}
	return changed, nil
}

// syncDir makes a folder's entries (a rename, a new file) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // some file systems cannot sync a folder; the rename stands
	return nil
}
