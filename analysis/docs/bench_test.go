package docs

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/connls/connls/bench/synth"
)

var doc10MB = synth.OpenAPI(50, 20, 10<<20, rand.New(rand.NewSource(1)))

// BenchmarkOpenAPI10MB reads a generated 10 MB OpenAPI document.
func BenchmarkOpenAPI10MB(b *testing.B) {
	b.SetBytes(int64(len(doc10MB)))
	b.ReportAllocs()
	for b.Loop() {
		d := Read("docs/openapi.json", doc10MB)
		if len(d.Classes) == 0 || len(d.Problems) > 0 {
			b.Fatalf("%d classes, problems %v", len(d.Classes), d.Problems)
		}
	}
}

// BenchmarkSailPoint reads the real SailPoint ISC descriptions (3.8 MB
// each, YAML and JSON) when ../shared/realworld is available.
func BenchmarkSailPoint(b *testing.B) {
	for _, name := range []string{"sailpoint-isc-v3.yaml", "sailpoint-isc-v2024.json"} {
		b.Run(name, func(b *testing.B) {
			text, err := os.ReadFile(filepath.Join(realWorldDir(), "openapi", name))
			if err != nil {
				b.Skipf("real-world documents not available: %v", err)
			}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if d := Read(name, text); len(d.Classes) == 0 {
					b.Fatal("no classes")
				}
			}
		})
	}
}

// realWorldDir is where the real public API documents are:
// $CONNLS_REALWORLD, else ../shared/realworld beside the repository.
func realWorldDir() string {
	if dir := os.Getenv("CONNLS_REALWORLD"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "shared", "realworld")
}

// BenchmarkParseYAML reads the SailPoint ISC v3 description (3.8 MB of
// YAML) into a node tree, with parseYAMLFast and with go-yaml.
func BenchmarkParseYAML(b *testing.B) {
	text, err := os.ReadFile(filepath.Join(realWorldDir(), "openapi", "sailpoint-isc-v3.yaml"))
	if err != nil {
		b.Skipf("real-world documents not available: %v", err)
	}
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := parseYAMLFast(text); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("go-yaml", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseGoYAML(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}
