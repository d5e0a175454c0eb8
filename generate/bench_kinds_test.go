package generate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkGenerateKindsForgejo generates each kind for Forgejo's User
// from a workspace init would build (the real description plus the
// scripts generated before that kind); the figure is per generation.
func BenchmarkGenerateKindsForgejo(b *testing.B) {
	src := filepath.Join(realworld, "openapi", "forgejo-swagger-2.0.json")
	text, err := os.ReadFile(src)
	if err != nil {
		b.Skipf("no real description: %v", err)
	}
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "forgejo.json"), text, 0o644)
	for _, kind := range append(append([]Kind{}, ScaffoldKinds...), KindAuthorization) {
		m := loadB(b, dir)
		b.Run(string(kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(context.Background(), Request{Model: m, Class: "User", Kind: kind, Fresh: true}); err != nil && !errors.Is(err, ErrNotFound) {
					b.Fatal(err)
				}
			}
		})
		res, err := Generate(context.Background(), Request{Model: m, Class: "User", Kind: kind, Fresh: true})
		if err == nil {
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				b.Fatal(err)
			}
		}
	}
}
