package analysis

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/workspace"
)

// TestLargeDocsReadAside: an analysis does not wait for the reading of a
// large document; it uses the last reading of the file (none the first
// time), and the next analysis after the reading has it.
func TestLargeDocsReadAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "User.native.schema.groovy"), []byte("objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n"), 0o644)
	doc := filepath.Join(dir, "docs", "broken.json")
	os.MkdirAll(filepath.Dir(doc), 0o755)
	os.WriteFile(doc, []byte(`{"openapi": "3.0.0", "paths": {"/x": {"get": }}}`+strings.Repeat(" ", 200)), 0o644)
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer()
	release := make(chan struct{})
	finished := make(chan string, 4)
	a.ReadLargeDocsAside(100, func(path string, size int) func() {
		<-release // the reading cannot end before the test says so
		return func() { finished <- path }
	})
	hasDocError := func(m *Model) bool {
		for _, p := range m.Diagnostics() {
			if p.Code == "doc-error" {
				return true
			}
		}
		return false
	}
	m, err := a.Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if hasDocError(m) {
		t.Fatal("the first analysis waited for the large document")
	}
	close(release)
	if got := <-finished; got != "docs/broken.json" {
		t.Fatalf("reading of %q finished", got)
	}
	if m, _ = a.Analyze(context.Background(), ws.Snapshot(), nil); !hasDocError(m) {
		t.Fatal("the analysis after the reading does not have the document")
	}
	// An edit: the last reading stands until the new one is done.
	s := ws.Open(doc, 1, []byte(`{"openapi": "3.0.0", "paths": {}}`+strings.Repeat(" ", 200)))
	if m, _ = a.Analyze(context.Background(), s, nil); !hasDocError(m) {
		t.Fatal("the last reading must stand while the new version is read")
	}
	<-finished
	if m, _ = a.Analyze(context.Background(), s, nil); hasDocError(m) {
		t.Fatal("the new version was not read")
	}
}
