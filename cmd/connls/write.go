package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connls/connls/workspace"
)

// fileWrite is one file of a change; it has the shape of workspace.Write,
// which writeFiles will hand its work to once workspace.WriteFiles (every
// writer of connls going through one atomic, journaled writer) is in.
type fileWrite struct {
	Abs  string
	Data []byte
	// Check is called with the file's current content before anything is
	// written; an error stops the change.
	Check func(current []byte, exists bool) error
}

// writeFiles writes files inside the workspace roots, each to a temporary
// file in its folder that is synced and renamed over it, keeping its
// mode. A file whose real location (after symbolic links) is outside
// every root is refused before anything is written.
func writeFiles(roots []string, writes []fileWrite) error {
	real := make([]string, len(writes))
	for i, w := range writes {
		p, err := realInside(roots, w.Abs)
		if err != nil {
			return err
		}
		real[i] = p
		if w.Check != nil {
			cur, err := os.ReadFile(p)
			exists := err == nil
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err := w.Check(cur, exists); err != nil {
				return err
			}
		}
	}
	for i, w := range writes {
		if err := writeAtomic(real[i], w.Data); err != nil {
			return fmt.Errorf("writing %s: %w", w.Abs, err)
		}
	}
	return nil
}

// realInside resolves the symbolic links of abs and checks that it stays
// inside one of the roots (resolved too).
func realInside(roots []string, abs string) (string, error) {
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	for _, r := range roots {
		rr, err := filepath.EvalSymlinks(r)
		if err == nil && workspace.Within(rr, real) {
			return real, nil
		}
	}
	return "", fmt.Errorf("refusing to write %s: its real location %s is outside the workspace", abs, real)
}

func writeAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".connls-tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
