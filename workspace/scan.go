package workspace

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds what the scanner reads; bigger files are listed
// with an error instead of being loaded whole into memory.
const MaxFileSize = 128 << 20

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
	name := parts[len(parts)-1]
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch strings.ToLower(name) {
	case "package.json", "package-lock.json", "tsconfig.json", "go.mod":
		return false
	}
	return Classify(name) != KindOther
}

// Scan finds a workspace's files under root and reads them.
func Scan(root string) ([]*File, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", root)
	}
	var files []*File
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable subdirectory does not stop the scan
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !Wanted(root, p) {
			return nil
		}
		files = append(files, ReadFile(root, p))
		return nil
	})
	return files, err
}

// ReadFile reads one workspace file from disk. Errors are kept on the
// file so that they can be reported against it.
func ReadFile(root, abs string) *File {
	info, err := os.Stat(abs)
	if err == nil && info.Size() > MaxFileSize {
		f := newFile(root, abs, nil)
		f.Err = fmt.Errorf("file is %d MB, more than the %d MB connls reads", info.Size()>>20, MaxFileSize>>20)
		return f
	}
	text, err := os.ReadFile(abs)
	f := newFile(root, abs, text)
	f.Err = err
	return f
}
