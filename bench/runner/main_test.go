package main

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/bench/synth"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkParseOnly-2   	      38	  26000000 ns/op	   5.04 MB/s	 5228903 B/op	   51837 allocs/op
BenchmarkParseOnly-2   	      40	  30000000 ns/op	   4.80 MB/s	 5228903 B/op	   51837 allocs/op
BenchmarkParseOnly-2   	      41	  28000000 ns/op	   4.90 MB/s	 5228903 B/op	   51837 allocs/op
BenchmarkEditToDiagnostics-2 	 300	 138130155 ns/op	 16.75 p50-ms	 36.63 p99-ms	 58.28 peak-RSS-MB	 236082 B/op	 52 allocs/op
PASS
`
	res := &results{byKey: map[string]*figure{}}
	parseBench(strings.NewReader(out), res)
	if got := res.get("ParseOnly", "ns/op"); got != 28000000 {
		t.Errorf("median ns/op = %v, want 28000000", got)
	}
	if got := res.get("ParseOnly", "MB/s"); got != 4.9 {
		t.Errorf("median MB/s = %v", got)
	}
	if got := res.get("EditToDiagnostics", "p99-ms"); got != 36.63 {
		t.Errorf("p99 = %v", got)
	}
	if got := res.get("EditToDiagnostics", "B/op"); got != 0 {
		t.Errorf("the client's allocations were kept: %v", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		f := &figure{samples: c.in}
		if got := f.median(); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestReportMarksMissedTargets(t *testing.T) {
	res := &results{byKey: map[string]*figure{}}
	res.add("EditToDiagnostics", "p99-ms", 25)
	res.add("GeneratePerClass", "ms/class", 1.5)
	res.add("check 1,000 files", "ms", 200)
	res.add("tree-sitter alone, same files", "ms", 100)
	table := report(res, 1, 0)
	for _, want := range []string{
		"| edit-to-diagnostics p99, 5,000-line script, 1,000 files | < 10 ms | 25.0 ms | **no** |",
		"| generation per class (connid + update) | < 50 ms | 1.50 ms | yes |",
		"| connls check / tree-sitter alone, same 1,000 files | ≤ 1.5× | 2.00 × | **no** |",
		"| edit-to-diagnostics p50, same | < 3 ms | — | not measured |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

func TestTreeSitterOnly(t *testing.T) {
	dir := t.TempDir()
	native, connid, search, update := synth.ClassScripts("User", 5, rand.New(rand.NewSource(1)))
	for name, data := range map[string][]byte{"User.native.schema.groovy": native, "User.connid.schema.groovy": connid, "User.search.groovy": search, "User.update.op.groovy": update} {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	if err := treeSitterOnly(dir); err != nil {
		t.Fatal(err)
	}
	if err := treeSitterOnly(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing directory is not an error")
	}
}
