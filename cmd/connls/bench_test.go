package main

import (
	"io"
	"testing"

	"github.com/connls/connls/bench/synth"
)

// BenchmarkCheck1000 is `connls check --format json` of the synthetic
// 1,000-file workspace in this process: what `make bench` times as a
// process, without the process start and with a warm heap. It is the
// benchmark to profile the check with (-cpuprofile, -memprofile).
func BenchmarkCheck1000(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 250, Attributes: 12, Seed: 1, Files: 1000}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		root := newRoot()
		root.SetArgs([]string{"check", "--format", "json", "--fail-on", "none", "--quiet", dir})
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		if err := root.Execute(); err != nil {
			b.Fatal(err)
		}
	}
}
