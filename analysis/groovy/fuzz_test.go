package groovy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary text to the lexer, prepass and parser: every
// offset they report must lie within the text, and nothing may panic.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/*/*.groovy", "../../testdata/*/*.groovy"} {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse(src)
		check := func(what string, start, end int) {
			if start < 0 || end < start || end > len(src) {
				t.Fatalf("%s at %d-%d outside a text of %d bytes", what, start, end, len(src))
			}
		}
		for _, e := range file.Errors {
			check("error", e.Start, e.End)
		}
		for _, c := range file.Comments {
			check("comment", c.Start, c.End)
		}
		var walk func([]*Node, int)
		walk = func(nodes []*Node, base int) {
			for _, n := range nodes {
				if n == nil {
					continue
				}
				check(n.Kind.String(), base+n.Start, base+n.End)
				walk([]*Node{n.Recv, n.Closure}, base)
				walk(n.Args, base)
				walk(n.Body, base)
			}
		}
		if len(file.Base) != len(file.Body) {
			t.Fatalf("%d bases for %d statements", len(file.Base), len(file.Body))
		}
		for i, n := range file.Body {
			walk([]*Node{n}, file.Base[i])
		}
		var inc Incremental
		defer inc.Close()
		inc.Parse(src)
		inc.Parse(append(append([]byte{}, src...), '\n'))
	})
}
