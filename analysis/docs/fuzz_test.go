package docs

import (
	"os"
	"path/filepath"
	"testing"
)

// The fuzzers feed arbitrary bytes to each reader; a reader may report
// problems but must never panic or hang.

func seed(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
}

func FuzzOpenAPIJSON(f *testing.F) {
	seed(f, "testdata/*.json")
	f.Fuzz(func(t *testing.T, b []byte) { Read("doc.json", b) })
}

func FuzzOpenAPIYAML(f *testing.F) {
	seed(f, "testdata/*.yaml", "../../testdata/*/docs/*.yaml")
	f.Fuzz(func(t *testing.T, b []byte) { Read("doc.yaml", b) })
}

func FuzzSCIM(f *testing.F) {
	seed(f, "testdata/scim-*.json", "../../testdata/*/scim/*.json")
	f.Fuzz(func(t *testing.T, b []byte) { readSCIM("doc.json", b, true) })
}

func FuzzHTML(f *testing.F) {
	seed(f, "testdata/*.html", "../../testdata/*/docs/*.html")
	f.Fuzz(func(t *testing.T, b []byte) { Read("doc.html", b) })
}

func FuzzMarkdown(f *testing.F) {
	seed(f, "testdata/*.md", "../../testdata/*/docs/*.md")
	f.Fuzz(func(t *testing.T, b []byte) { Read("doc.md", b) })
}
