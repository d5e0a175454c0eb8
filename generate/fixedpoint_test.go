package generate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/analysis/groovy"
	"github.com/connls/connls/workspace"
)

// realworld is where the shared real API descriptions live; tests that
// read them skip when it is absent.
var realworld = filepath.Join("..", "..", "shared", "realworld")

// fixedPointKinds are the generators the fixed-point test runs, in the
// order a developer would: the schema, the search (which the mapping
// takes as evidence), the mapping, then the operations that use it, and
// the relationships between the classes.
var fixedPointKinds = []Kind{KindNative, KindSearch, KindConnID, KindCreate, KindUpdate, KindDelete, KindAuthorization, KindRelations}

// job is one class and kind to generate.
type job struct {
	class string
	kind  Kind
}

// generateAll generates every class and kind of the workspace in dir and
// writes the results, one file at a time (results that touch a file
// written in the same round wait for the next). It returns the code each
// generation produced and the files it wrote.
func generateAll(t *testing.T, dir string, kinds []Kind) (map[job]string, map[string]bool) {
	t.Helper()
	an := analysis.NewAnalyzer()
	analyze := func() *analysis.Model {
		ws, err := workspace.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		m, err := an.Analyze(context.Background(), ws.Snapshot(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	codes := map[job]string{}
	written := map[string]bool{}
	for _, kind := range kinds {
		generateKind(t, analyze, kind, codes, written)
	}
	return codes, written
}

// generateKind generates one kind for every class, in rounds.
func generateKind(t *testing.T, analyze func() *analysis.Model, kind Kind, codes map[job]string, written map[string]bool) {
	t.Helper()
	fresh := true
	m := analyze()
	var todo []job
	for _, u := range m.Units {
		if kind == KindRelations {
			// A relationship is named for its pair of classes.
			for _, r := range FindRelations(u) {
				todo = append(todo, job{r.Name, kind})
			}
			continue
		}
		for _, c := range u.Classes {
			todo = append(todo, job{c.Name, kind})
		}
	}
	for round := 0; len(todo) > 0; round++ {
		if round > 0 {
			m = analyze()
		}
		touched := map[string]bool{}
		var later []job
		for _, j := range todo {
			res, err := Generate(context.Background(), Request{Model: m, Class: j.class, Kind: j.kind, Fresh: fresh})
			if errors.Is(err, ErrNotFound) {
				continue // nothing to generate from: not a fixed-point question
			}
			if err != nil {
				t.Fatalf("%s %s: %v", j.kind, j.class, err)
			}
			busy := false
			for _, c := range res.Changes {
				busy = busy || touched[c.Abs]
			}
			if busy {
				later = append(later, j)
				continue
			}
			if res.Status == "override" {
				continue // a hand-written block, left alone
			}
			codes[j] = res.Code
			for _, c := range res.Changes {
				touched[c.Abs] = true
				if !strings.HasSuffix(c.After, "\n") {
					t.Errorf("%s %s: %s does not end with a newline", j.kind, j.class, c.Path)
				}
			}
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				t.Fatalf("%s %s: %v", j.kind, j.class, err)
			}
			if len(res.Changes) > 0 {
				written[res.Changes[0].Abs] = true
			}
		}
		todo = later
	}
}

// checkFixedPoint generates everything in a copy of the workspace, then
// generates again on the result: the code must be the same, byte for
// byte, and nothing may change on disk. Every generated file must parse
// as Groovy and pass check with no error.
func checkFixedPoint(t *testing.T, dir string) {
	t.Helper()
	// Fresh: every class, including those whose blocks were written by
	// hand, so that the test covers all of them.
	first, written := generateAll(t, dir, fixedPointKinds)
	t.Logf("%d generations, %d files", len(first), len(written))
	before := snapshotFiles(t, dir)
	second, _ := generateAll(t, dir, fixedPointKinds)
	for j, code := range first {
		if second[j] != code {
			t.Errorf("%s %s is not a fixed point:\nfirst:\n%s\nsecond:\n%s", j.kind, j.class, code, second[j])
		}
	}
	after := snapshotFiles(t, dir)
	for path, text := range after {
		if before[path] != text {
			t.Errorf("generating again changed %s:\nbefore:\n%s\nafter:\n%s", path, before[path], text)
		}
	}
	checkGenerated(t, dir, written)
}

// checkGenerated analyses the workspace and fails on any error in the
// generated files, and on any that the Groovy parser does not read.
func checkGenerated(t *testing.T, dir string, files map[string]bool) {
	t.Helper()
	m := load(t, dir)
	for _, p := range m.Diagnostics() {
		// An update documented on a path the framework cannot fill is
		// generated as documented, and check says why it cannot be
		// called: an error on purpose (TestEvidenceUsernamePlaceholder).
		if files[p.Abs] && p.Severity == dsl.SevError && p.Code != "path-placeholder" {
			t.Errorf("%s:%d: %s %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
		}
	}
	for abs := range files {
		if !strings.HasSuffix(abs, ".groovy") {
			continue
		}
		src, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		if f := groovy.Parse(src); len(f.Errors) > 0 || f.TreeErrors > 0 {
			t.Errorf("%s does not parse as Groovy: %v (%d tree errors)", abs, f.Errors, f.TreeErrors)
		}
	}
}

func snapshotFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = string(b)
		return nil
	})
	return out
}

// TestFixedPointSamples: every class of every sample workspace.
func TestFixedPointSamples(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			checkFixedPoint(t, copyDir(t, filepath.Join("..", "testdata", e.Name())))
		})
	}
}

// TestFixedPointRealWorld: every class of every real API description,
// each alone in a workspace.
func TestFixedPointRealWorld(t *testing.T) {
	if _, err := os.Stat(realworld); err != nil {
		t.Skipf("no real API descriptions at %s: %v", realworld, err)
	}
	if testing.Short() {
		t.Skip("the real descriptions take a while")
	}
	var docs []string
	filepath.Walk(realworld, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.EqualFold(info.Name(), "README.md") {
			docs = append(docs, p)
		}
		return nil
	})
	sort.Strings(docs)
	for _, doc := range docs {
		rel, _ := filepath.Rel(realworld, doc)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			dir := t.TempDir()
			b, err := os.ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(doc)), b, 0o644); err != nil {
				t.Fatal(err)
			}
			checkFixedPoint(t, dir)
		})
	}
}
