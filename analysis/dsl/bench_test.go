package dsl

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/connls/connls/analysis/groovy"
	"github.com/connls/connls/bench/synth"
	"github.com/connls/connls/workspace"
)

var bigScript = synth.BigScript(5000)

// BenchmarkParseOnly is the floor: the prepass and tree-sitter parse.
func BenchmarkParseOnly(b *testing.B) {
	b.SetBytes(int64(len(bigScript)))
	b.ReportAllocs()
	for b.Loop() {
		groovy.Parse(bigScript)
	}
}

// BenchmarkReadScript5000 parses a 5,000-line script and builds its model.
func BenchmarkReadScript5000(b *testing.B) {
	b.SetBytes(int64(len(bigScript)))
	b.ReportAllocs()
	for b.Loop() {
		// A new File each time: its line index is built on first use.
		f := &workspace.File{Abs: "/w/Big.native.schema.groovy", Path: "Big.native.schema.groovy", Kind: workspace.KindGroovy, Text: bigScript}
		ReadScript(f, RoleSchema)
	}
}

// BenchmarkIncrementalEdit re-reads the script after a one-character edit,
// as for an open document: incremental parse, memoized statement readings.
func BenchmarkIncrementalEdit(b *testing.B) {
	var inc groovy.Incremental
	var memo ReadMemo
	defer inc.Close()
	inc.Parse(bigScript)
	edited := append([]byte(nil), bigScript...)
	pos := len(edited) / 2
	for edited[pos] != '"' {
		pos++
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		edited[pos+1] = "abcdefgh"[i%8]
		i++
		syn := inc.Parse(edited)
		f := &workspace.File{Abs: "/w/Big.native.schema.groovy", Path: "Big.native.schema.groovy", Kind: workspace.KindGroovy, Text: edited}
		ReadSyntax(f, syn, RoleSchema, &memo)
	}
}

// BenchmarkRead1000 reads the 1,000 scripts of the synthetic workspace
// that `make bench` checks (parse and DSL model, no I/O), as the check
// does: the stage that check adds to tree-sitter alone.
func BenchmarkRead1000(b *testing.B) {
	var files []*workspace.File
	for c := 0; c < 250; c++ {
		name := fmt.Sprintf("Class%03d", c)
		native, connid, search, update := synth.ClassScripts(name, 12, rand.New(rand.NewSource(int64(c))))
		for _, s := range []struct {
			suffix string
			text   []byte
		}{{".native.schema.groovy", native}, {".connid.schema.groovy", connid}, {".search.groovy", search}, {".update.op.groovy", update}} {
			files = append(files, &workspace.File{Abs: "/w/" + name + s.suffix, Path: name + s.suffix, Kind: workspace.KindGroovy, Text: s.text})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			// A copy: a File's line index is built on first use.
			g := &workspace.File{Abs: f.Abs, Path: f.Path, Kind: f.Kind, Text: f.Text}
			ReadScript(g, KindOf(g.Abs).Role())
		}
	}
}
