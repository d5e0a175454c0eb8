package analysis

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/connls/connls/workspace"
)

// loadTxtar writes a txtar archive's files into a temporary workspace and
// analyses it.
func loadTxtar(t *testing.T, path string) (*Model, *txtar.Archive, string) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if filepath.Ext(f.Name) == ".want" || f.Name == "want" {
			continue
		}
		// "-- name -> target --" is a symbolic link.
		name, link, isLink := strings.Cut(f.Name, " -> ")
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if isLink {
			if err := os.Symlink(filepath.FromSlash(link), p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return loadDir(t, dir), ar, dir
}

func loadDir(t *testing.T, dir string) *Model {
	t.Helper()
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func onlyUnit(t *testing.T, m *Model) *Unit {
	t.Helper()
	var found *Unit
	for _, u := range m.Units {
		if len(u.Classes) > 0 {
			if found != nil {
				t.Fatalf("more than one unit with classes: %s and %s", found.Dir, u.Dir)
			}
			found = u
		}
	}
	if found == nil {
		t.Fatal("no unit with classes")
	}
	return found
}

// writeFiles writes files (slash paths relative to a new temporary
// directory) and returns the directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copySample copies a sample workspace of testdata/ into dir.
func copySample(t *testing.T, name, dir string) {
	t.Helper()
	src := filepath.Join("..", "testdata", name)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
