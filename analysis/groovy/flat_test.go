package groovy

import (
	"os"
	"path/filepath"
	"testing"
)

// The converter reads flatten's C buffer as flatNodes in place.
func TestFlatNodeLayout(t *testing.T) {
	if !flatLayout() {
		t.Fatal("flatNode is not laid out as C's flat_node")
	}
}

// A parse that takes the nodes a released File gave back reads the same
// tree as one with new nodes, whatever was read before.
func TestReleasedNodesReadTheSame(t *testing.T) {
	var texts [][]byte
	for _, dir := range []string{"valid", "invalid"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*.groovy"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, src)
		}
	}
	if len(texts) < 5 {
		t.Fatalf("only %d test scripts", len(texts))
	}
	var want []string
	for _, src := range texts {
		want = append(want, fileDump(Parse(src))) // never released
	}
	for round := 0; round < 3; round++ {
		for i, src := range texts {
			f := Parse(src)
			if got := fileDump(f); got != want[i] {
				t.Fatalf("round %d, script %d: the tree differs after earlier trees were released:\n%s\nwant:\n%s", round, i, got, want[i])
			}
			f.Release()
			if f.Body != nil {
				t.Fatal("a released File still has its statements")
			}
		}
	}
}
