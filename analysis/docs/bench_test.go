package docs

import (
	"math/rand"
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
