package analysis

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/connls/connls/bench/synth"
	"github.com/connls/connls/workspace"
)

// BenchmarkReanalyzeAfterEdit is the work behind one keystroke in a
// 1,000-file workspace: an edit of an open 5,000-line script, the
// analysis of the new snapshot (the other files come from the cache) and
// the diagnostics of everything. The cached readings of versions the
// snapshot no longer holds are dropped after each analysis, as the
// server does: the edits alternate between two texts, and without that
// the second reading of each would come from the cache.
func BenchmarkReanalyzeAfterEdit(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 250, Attributes: 12, Seed: 1, Files: 1000}); err != nil {
		b.Fatal(err)
	}
	big := filepath.Join(dir, "Big.native.schema.groovy")
	text := synth.BigScript(5000)
	os.WriteFile(big, text, 0o644)
	ws, err := workspace.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	a := NewAnalyzer()
	a.Track(big)
	snap := ws.Open(big, 1, text)
	if _, err := a.Analyze(context.Background(), snap, nil); err != nil {
		b.Fatal(err)
	}
	i := bytes.Index(text, []byte(`jsonType "string"`))
	pos := ws.Snapshot().File(big).Lines().Pos(i + len(`jsonType "str`))
	b.ReportAllocs()
	b.ResetTimer()
	v := int32(1)
	for b.Loop() {
		v++
		snap, err := ws.Change(big, v, []workspace.Change{{Range: &workspace.Range{Start: pos, End: pos}, Text: "x"}})
		if err != nil {
			b.Fatal(err)
		}
		m, err := a.Analyze(context.Background(), snap, nil)
		if err != nil {
			b.Fatal(err)
		}
		m.Diagnostics()
		a.Forget(snap)
		v++
		snap, _ = ws.Change(big, v, []workspace.Change{{Range: &workspace.Range{Start: pos, End: workspace.Pos{Line: pos.Line, Col: pos.Col + 1}}, Text: ""}})
		m, _ = a.Analyze(context.Background(), snap, nil)
		m.Diagnostics()
		a.Forget(snap)
	}
}
