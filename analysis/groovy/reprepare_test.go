package groovy

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReprepareMatchesPrepare edits scripts at random, step after step,
// and checks that the prepass resumed around each edit is exactly the
// prepass of the whole new text: blanked text, comments, regions,
// chains, declared names, statements and the places the next edit may
// resume from. Most edits must take the resumed path, or the test tests
// nothing.
func TestReprepareMatchesPrepare(t *testing.T) {
	var texts []string
	for _, dir := range []string{"testdata/valid", "../../testdata/ticketdesk"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.groovy"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err == nil && len(data) > 0 {
				texts = append(texts, string(data))
			}
		}
	}
	var b strings.Builder
	for c := 0; c < 4; c++ {
		fmt.Fprintf(&b, "objectClass(\"C%d\") {\n", c)
		for a := 0; a < 6; a++ {
			fmt.Fprintf(&b, "    attribute(\"a%d\") {\n        jsonType \"string\" // t\n    }\n", a)
		}
		b.WriteString("    search {\n        objectExtractor { it.items }\n    }\n}\ndef helper(x) { x }\n")
	}
	texts = append(texts, b.String())
	if len(texts) < 5 {
		t.Fatalf("only %d scripts to edit", len(texts))
	}
	snippets := []string{
		"x", "\n", " ", "{", "}", "(", ")", "\"", "'", "//", "/*", "*/", "${", "'''", "/", ";", ".", "+", "-", ">", "->",
		"def y = 1\n", "attribute(\"n\") { jsonType \"integer\" }\n", "objectClass(\"N\") {\n}\n",
		"connIdAttribute \"UID\" \"id\"\n", "Map<String, List<Integer>> m\n", "for (String s : xs) { }\n",
		"objectExtractor { it = it.data }\n", "String name\n", "// a comment\n", "x -> x\n",
	}
	seeds := 10 // TestReprepareCases holds the rare cases runs found
	if testing.Short() {
		seeds = 2
	}
	resumed, total := 0, 0
	for seed := int64(1); seed <= int64(seeds); seed++ {
		rng := rand.New(rand.NewSource(seed))
		for ti, text := range texts {
			editScript(t, rng, seed, ti, text, snippets, &resumed, &total)
		}
	}
	if resumed < total/2 {
		t.Errorf("only %d of %d edits resumed the prepass", resumed, total)
	}
	t.Logf("%d of %d edits resumed", resumed, total)
}

// editScript edits one script 150 times, each edit after the last.
func editScript(t *testing.T, rng *rand.Rand, seed int64, ti int, text string, snippets []string, resumed, total *int) {
	t.Helper()
	cur := []byte(text)
	prep := prepare(cur)
	for step := 0; step < 150; step++ {
		if len(prep.errs) > 0 {
			// No resuming from a text with lexical errors: start
			// again from the script as it was.
			cur = []byte(text)
			prep = prepare(cur)
		}
		next := mutate(rng, cur, snippets)
		want := prepare(next)
		got := resume(prep, cur, next)
		*total++
		if got == nil {
			got = want
		} else {
			*resumed++
			if !reflect.DeepEqual(settled(got), want) {
				t.Fatalf("seed %d, script %d, step %d: the resumed prepass differs from a full one\nbefore: %q\nafter:  %q\n%s",
					seed, ti, step, cur, next, diffPrepared(got, want))
			}
		}
		cur, prep = next, got
	}
}

// mutate applies one random edit: an insertion, a deletion or both.
func mutate(rng *rand.Rand, src []byte, snippets []string) []byte {
	pos := 0
	if len(src) > 0 {
		pos = rng.Intn(len(src) + 1)
	}
	end := pos
	if rng.Intn(3) > 0 && pos < len(src) {
		end = min(len(src), pos+1+rng.Intn(12))
	}
	ins := ""
	if rng.Intn(3) > 0 || end == pos {
		ins = snippets[rng.Intn(len(snippets))]
	}
	out := append([]byte(nil), src[:pos]...)
	out = append(out, ins...)
	return append(out, src[end:]...)
}

// settled returns a copy of p whose statements have their moves
// applied, as a whole prepass gives them.
func settled(p *prepared) *prepared {
	q := *p
	q.stmts = nil
	for _, s := range p.stmts {
		q.stmts = append(q.stmts, s.settled())
	}
	return &q
}

func diffPrepared(got, want *prepared) string {
	got = settled(got)
	fields := map[string][2]any{
		"text": {string(got.text), string(want.text)}, "comments": {got.comments, want.comments},
		"errs": {got.errs, want.errs}, "regions": {got.regions, want.regions}, "chains": {got.chains, want.chains},
		"declared": {got.declared, want.declared}, "stmts": {got.stmts, want.stmts},
		"decls": {got.decls, want.decls}, "noSlashy": {got.noSlashy, want.noSlashy}, "cuts": {got.cuts, want.cuts}, "lead": {got.lead, want.lead},
	}
	var out []string
	for name, gw := range fields {
		if !reflect.DeepEqual(gw[0], gw[1]) {
			out = append(out, fmt.Sprintf("%s:\n got %+v\nwant %+v", name, gw[0], gw[1]))
		}
	}
	return strings.Join(out, "\n")
}

// TestReprepareCases: edits that the resumed prepass must not take
// apart, each next to a cut, give what a full prepass gives.
func TestReprepareCases(t *testing.T) {
	for _, c := range []struct{ name, before, after string }{
		{"a trailing operator joins the next statement",
			"a 1\nobjectClass(\"B\") {\n}\n", "a 1 +\nobjectClass(\"B\") {\n}\n"},
		{"the first statement is no longer the first token",
			"// c\nvx -> x\nb 1\n", "a\n// c\nvx -> x\nb 1\n"},
		{"a slash that found no closing slash finds one in the edit",
			"x = 1 +/2\nb 1\n", "x = 1 +/2\nb 1\nc /\n"},
		{"an edit in a string that runs on past the window",
			"a \"x\"\nb 1\n", "a \"\"\"x\"\nb 1\n"},
		{"a string opened in the window closes after it",
			"a 1\nb \"\"\"\nc 1\n\"\"\"\n", "a \"\"\"1\nb \"\"\"\nc 1\n\"\"\"\n"},
		{"two lines joined at a cut",
			"a 1\n b 2\n", "a 1 b 2\n"},
		{"a statement split in two",
			"objectClass(\"A\") {\n  attribute(\"x\") { jsonType \"string\" }\n}\nb 1\n", "objectClass(\"A\") {\n  attribute(\"x\") { jsonType \"string\" }\n}\nc 2\nb 1\n"},
	} {
		old := prepare([]byte(c.before))
		got := reprepare(old, []byte(c.before), []byte(c.after))
		want := prepare([]byte(c.after))
		if !reflect.DeepEqual(settled(got), want) {
			t.Errorf("%s: the resumed prepass differs from a full one\n%s", c.name, diffPrepared(got, want))
		}
	}
}
