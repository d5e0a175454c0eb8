package generate

import (
	"context"
	"fmt"
	"testing"

	"github.com/connls/connls/bench/synth"
)

// BenchmarkGeneratePerClass generates the connid and update code of every
// class of a 50-class workspace; the figure is per class.
func BenchmarkGeneratePerClass(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 50, Attributes: 30, Seed: 1, OpenAPIBytes: 1}); err != nil {
		b.Fatal(err)
	}
	m := loadB(b, dir)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for c := 0; c < 50; c++ {
			for _, kind := range []Kind{KindConnID, KindUpdate} {
				if _, err := Generate(context.Background(), Request{Model: m, Class: fmt.Sprintf("Class%03d", c), Kind: kind, Fresh: true}); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/1e6, "ms/class")
}
