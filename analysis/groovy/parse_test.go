package groovy

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// calls returns the names of the DSL calls in a tree, depth first,
// descending into closures and control blocks.
func calls(nodes []*Node) []string {
	var out []string
	for _, n := range nodes {
		if n.Kind == Call && n.Name != "" {
			out = append(out, n.Name)
		}
		if n.Closure != nil {
			out = append(out, calls(n.Closure.Body)...)
		}
		out = append(out, calls(n.Body)...)
	}
	return out
}

// TestValidScriptsReadCleanly parses valid Groovy that trips the
// tree-sitter grammar without the prepass: for-each loops with a colon,
// var declarations, doc comments ending in **/, nested generics, every
// kind of string. Nothing may be reported, the grammar must see no error,
// and the DSL calls after each construct must all be found.
func TestValidScriptsReadCleanly(t *testing.T) {
	want := map[string]string{
		"doc-comments.groovy":      "objectClass attribute jsonType attribute jsonType attribute jsonType objectClass attribute jsonType",
		"dsl-everything.groovy":    "objectClass attribute jsonType updateable connId readable attribute required attribute jsonType connIdAttribute connIdAttribute",
		"foreach-def.groovy":       "objectClass search custom implementation println objectClass search endpoint emptyFilterSupported",
		"foreach-var.groovy":       "objectClass search attributeResolver attribute resolutionType implementation endpoint responseFormat",
		"generics-and-more.groovy": "println println objectClass attribute jsonType openApiFormat",
		"strings.groovy":           "objectClass description attribute description jsonType",
		"var-decl.groovy":          "objectClass search endpoint pagingSupport",
	}
	files, _ := filepath.Glob("testdata/valid/*.groovy")
	if len(files) != len(want) {
		t.Fatalf("found %d valid files, want %d", len(files), len(want))
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(src)
		name := filepath.Base(path)
		if len(f.Errors) > 0 {
			t.Errorf("%s: syntax errors reported for valid Groovy: %+v", name, f.Errors)
		}
		if f.TreeErrors > 0 {
			t.Errorf("%s: tree-sitter still sees %d errors after the prepass", name, f.TreeErrors)
		}
		if got := strings.Join(calls(f.Body), " "); got != want[name] {
			t.Errorf("%s: calls\n got %s\nwant %s", name, got, want[name])
		}
	}
}

// TestPrepassIsNeeded proves that the constructs above really trip the
// bare grammar, so the test above means something.
func TestPrepassIsNeeded(t *testing.T) {
	for _, src := range []string{
		"for (def user: users) { println user }\n",
		"for (var org : orgs) { x(org) }\n",
		"/** Slack extension attributes **/\nobjectClass(\"User\") {}\n",
		"def m = new HashMap<String, List<Integer>>()\n",
	} {
		p := getParser()
		p.parse([]byte(src))
		errs := 0
		for _, n := range p.flat(leafSyms) {
			if n.symbol == errorSymbol || n.missing() {
				errs++
			}
		}
		putParser(p)
		if errs == 0 {
			t.Errorf("the grammar reads %q without error; the prepass may no longer be needed for it", src)
		}
		if f := Parse([]byte(src)); f.TreeErrors != 0 || len(f.Errors) != 0 {
			t.Errorf("%q: after the prepass: %d tree errors, %v", src, f.TreeErrors, f.Errors)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := map[string]struct {
		line int // one-based line of the first error
		msg  string
	}{
		"unclosed-brace.groovy":       {1, `'{' is never closed: missing '}'`},
		"unterminated-string.groovy":  {3, `string is never closed: missing " before the end of the line`},
		"missing-paren.groovy":        {2, `'(' is never closed: missing ')'`},
		"extra-brace.groovy":          {6, `unexpected '}': nothing to close`},
		"unterminated-triple.groovy":  {2, `string is never closed: missing """`},
		"unterminated-comment.groovy": {1, `comment is never closed: missing "*/"`},
	}
	for name, want := range cases {
		src, err := os.ReadFile(filepath.Join("testdata/invalid", name))
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(src)
		if len(f.Errors) != 1 {
			t.Errorf("%s: got %d errors %+v, want exactly one", name, len(f.Errors), f.Errors)
			continue
		}
		e := f.Errors[0]
		line := 1 + strings.Count(string(src[:e.Start]), "\n")
		if line != want.line || e.Message != want.msg {
			t.Errorf("%s: got line %d %q, want line %d %q", name, line, e.Message, want.line, want.msg)
		}
	}
}

func TestCommandChainIsRemembered(t *testing.T) {
	src := "objectClass(\"A\") {\n  connIdAttribute \"UID\" \"id\"\n  attribute(\"id\") { jsonType \"string\" }\n}\n"
	f := Parse([]byte(src))
	if len(f.Chains) != 1 || src[f.Chains[0]-1] != '"' {
		t.Fatalf("chains = %v", f.Chains)
	}
	if got := strings.Join(calls(f.Body), " "); got != "objectClass connIdAttribute attribute jsonType" {
		t.Errorf("the line after the chain was not read on its own: %s", got)
	}
}

func TestRegions(t *testing.T) {
	src := `objectClass("M") {
    attribute("a") {
        json {
            implementation {
                deserialize {
                    if (it == null) { it = value }
                    return it
                }
            }
        }
    }
    attribute("b") {
        json { implementation { deserialize { return it.asText() } } }
    }
}
objectClass("M") {
    search {
        custom {
            implementation {
                objectClass("Org").attributeFilter("member").equals(value)
            }
        }
    }
}
`
	f := Parse([]byte(src))
	var owners []string
	for _, r := range f.Regions {
		owners = append(owners, r.Owner)
	}
	if got := strings.Join(owners, " "); got != "deserialize deserialize implementation" {
		t.Fatalf("regions: %s", got)
	}
	if !f.Regions[0].AssignsIt || len(f.Regions[0].UsesIt) != 3 {
		t.Errorf("first deserialize: %+v", f.Regions[0])
	}
	if f.Regions[1].AssignsIt || len(f.Regions[1].UsesIt) != 1 {
		t.Errorf("second deserialize: %+v", f.Regions[1])
	}
	if len(f.Regions[2].FilterEquals) != 1 {
		t.Errorf("attributeFilter().equals not found: %+v", f.Regions[2])
	}
}

func TestIncrementalMatchesFullParse(t *testing.T) {
	var inc Incremental
	defer inc.Close()
	base := "objectClass(\"A\") {\n  attribute(\"x\") { jsonType \"string\" }\n}\n"
	edits := []string{
		base,
		strings.Replace(base, "\"x\"", "\"xy\"", 1),
		strings.Replace(base, "jsonType \"string\"", "jsonType \"integer\"\n    updateable false", 1),
		"// emptied\n",
		base + base,
	}
	for _, src := range edits {
		got := calls(inc.Parse([]byte(src)).Body)
		want := calls(Parse([]byte(src)).Body)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("incremental %v, full %v for %q", got, want, src)
		}
	}
}

func TestDecodeString(t *testing.T) {
	for lit, want := range map[string]string{
		`"a\"b"`:          `a"b`,
		`'x\ny'`:          "x\ny",
		`"""multi"""`:     "multi",
		`'''it's'''`:      "it's",
		`/a\/b/`:          `a\/b`,
		`"\u00e9t\u00e9"`: "été",
	} {
		if got, _ := decodeString(lit); got != want {
			t.Errorf("decodeString(%s) = %q, want %q", lit, got, want)
		}
	}
	if _, interp := decodeString(`"id ${x}"`); !interp {
		t.Error("${x} not seen as interpolation")
	}
	if _, interp := decodeString(`'id ${x}'`); interp {
		t.Error("single quotes do not interpolate")
	}
}

// TestIncrementalBigStatements: statements big enough to be parsed in
// pieces, edited before, inside and after each other, parse exactly as a
// full parse does: every node, with its offsets; and a big statement the
// edit did not touch or move comes back as the same nodes.
func TestIncrementalBigStatements(t *testing.T) {
	var b strings.Builder
	for c := 0; c < 3; c++ {
		fmt.Fprintf(&b, "objectClass(\"C%d\") {\n", c)
		for a := 0; a < 80; a++ {
			fmt.Fprintf(&b, "    attribute(\"a%d\") {\n        jsonType \"string\"\n        description \"attribute %d of class %d\"\n    }\n", a, a, c)
		}
		b.WriteString("}\n")
	}
	base := b.String()
	if len(base)/3 <= chunkLimit {
		t.Fatalf("statements of %d bytes are not big", len(base)/3)
	}
	edits := []string{
		base,
		strings.Replace(base, `description "attribute 7 of class 2"`, `required true`, 1), // last class only
		strings.Replace(base, `attribute("a5")`, `attribute("b5")`, 1),                    // same length, first class
		strings.Replace(base, `attribute("a5")`, `attribute("b55")`, 1),                   // longer: the rest moves
		"// header\n" + base, // everything moves
		strings.Replace(base, `objectClass("C1") {`, `objectClass("C1") {{`, 1), // unbalanced
		base,
	}
	var inc Incremental
	defer inc.Close()
	var prev []*Node
	for i, src := range edits {
		got := inc.Parse([]byte(src))
		want := Parse([]byte(src))
		var gb, wb strings.Builder
		gb.WriteString(fileDump(got))
		wb.WriteString(fileDump(want))
		if gb.String() != wb.String() || got.TreeErrors != want.TreeErrors {
			t.Fatalf("edit %d: incremental and full parses differ (tree errors %d, %d)", i, got.TreeErrors, want.TreeErrors)
		}
		if i == 1 && (len(prev) < 3 || got.Body[0] != prev[0] || got.Body[1] != prev[1]) {
			t.Errorf("edit %d: unchanged big statements were not reused", i)
		}
		prev = got.Body
	}
}

// dumpOffsets renders nodes with offsets relative to base as absolute
// offsets.
func dumpOffsets(b *strings.Builder, nodes []*Node, base int) {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		name := [2]int{}
		if n.NameEnd > 0 {
			name = [2]int{base + n.NameStart, base + n.NameEnd}
		}
		fmt.Fprintf(b, "%s %s %q %d-%d %d-%d %v [", n.Kind, n.Name, n.Value, base+n.Start, base+n.End, name[0], name[1], n.Opaque)
		dumpOffsets(b, []*Node{n.Recv}, base)
		dumpOffsets(b, n.Args, base)
		dumpOffsets(b, []*Node{n.Closure}, base)
		dumpOffsets(b, n.Body, base)
		b.WriteString("]\n")
	}
}

// TestParserGivesUp: an input on which the grammar's error recovery does
// not end (found by FuzzParse) is given up on within the budget. It is
// not a syntax error (the lexer decides those) but a statement connls
// could not read, the same on any machine: an open document keeps that
// result instead of spending the budget on each version.
func TestParserGivesUp(t *testing.T) {
	src := []byte("e c){m.e.r\ns\"\"){t<<<<<<){s\xff\xff\xff\xffe\"\";e e;d{e e}}u e\"\nd e}f(e){e(\"\"){e\"\"}}e(\"\",\"\")e\"\",\"}")
	f := Parse(src)
	for _, e := range f.Errors {
		if strings.Contains(e.Message, "could not parse") {
			t.Errorf("a statement the parser gave up on is reported as a syntax error: %s", e.Message)
		}
	}
	if len(f.Unread) == 0 || f.Unread[0].Load {
		t.Fatalf("Unread = %+v, want the statement, given up for its steps", f.Unread)
	}
	var inc Incremental
	defer inc.Close()
	inc.Parse(src)
	parses := inc.parser.parses
	for i := 0; i < 3; i++ {
		g := inc.Parse(append(append([]byte(nil), src...), strings.Repeat("\n", i+1)...))
		if len(g.Unread) == 0 {
			t.Fatalf("version %d: the statement is no longer unread", i)
		}
	}
	if n := inc.parser.parses - parses; n != 0 {
		t.Errorf("three more versions ran the parser %d times on a statement it cannot read", n)
	}
}

// TestParseUnderTinyTimeBudget runs the parser as if the machine were
// overloaded: the clock runs out before any statement is read. Every
// statement is then read by counting steps, so the trees and the syntax
// errors are the same as with time to spare, and an open document that
// ran out of time is parsed again on its next version, not kept unread.
func TestParseUnderTinyTimeBudget(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.groovy")
	if len(files) == 0 {
		t.Fatal("no test scripts")
	}
	want := map[string]string{}
	for _, file := range files {
		src, _ := os.ReadFile(file)
		want[file] = fileDump(Parse(src))
	}

	old := SetBudget(Budget{Time: time.Nanosecond, Steps: DefaultBudget.Steps, StepBytes: DefaultBudget.StepBytes})
	defer SetBudget(old)
	for _, file := range files {
		src, _ := os.ReadFile(file)
		if got := fileDump(Parse(src)); got != want[file] {
			t.Errorf("%s: under a tiny time budget the parse differs:\n%s", file, diffText(want[file], got))
		}
	}

	// A long statement (one that takes more than a hundred parser steps,
	// where the clock is looked at) is read the same by an open document
	// that ran out of time, by counting steps.
	var b strings.Builder
	b.WriteString("objectClass(\"User\") {\n    update {\n        endpoint(PATCH, \"/users/{id}\") {\n            supportedAttributes \"a0\"")
	for i := 1; i < 1500; i++ {
		fmt.Fprintf(&b, ", \"a%d\"", i)
	}
	b.WriteString("\n        }\n    }\n}\n")
	src := []byte(b.String())
	SetBudget(DefaultBudget)
	wantBig := fileDump(Parse(src))
	var inc Incremental
	defer inc.Close()
	SetBudget(Budget{Time: time.Nanosecond, Steps: DefaultBudget.Steps, StepBytes: DefaultBudget.StepBytes})
	if got := fileDump(inc.Parse(src)); got != wantBig || inc.parser.retries == 0 {
		t.Errorf("a long statement out of time: retries %d, parse differs:\n%s", inc.parser.retries, diffText(wantBig, got))
	}

	// A busy machine's give-up is not remembered: when even the backstop
	// clock runs out, the statement is unread as a matter of load, not a
	// syntax error, and the next version reads it.
	src = []byte(strings.Replace(string(src), `"a0"`, `"b0"`, 1))
	wantBig = fileDump(Parse(src))
	SetBudget(Budget{Time: time.Nanosecond, Steps: 1 << 30, Backstop: time.Nanosecond})
	first := inc.Parse(src)
	if len(first.Unread) == 0 || !first.Unread[0].Load || len(first.Errors) != 0 {
		t.Fatalf("with no time at all: Unread = %+v, Errors = %+v; want the statement unread for lack of time", first.Unread, first.Errors)
	}
	SetBudget(DefaultBudget)
	if got := fileDump(inc.Parse(src)); got != wantBig {
		t.Errorf("the next version with time to spare differs:\n%s", diffText(wantBig, got))
	}
}

// fileDump renders what a parse found, for comparing two parses.
func fileDump(f *File) string {
	var b strings.Builder
	if len(f.Base) != len(f.Body) {
		fmt.Fprintf(&b, "%d bases for %d statements\n", len(f.Base), len(f.Body))
	}
	for i, n := range f.Body {
		dumpOffsets(&b, []*Node{n}, f.Base[min(i, len(f.Base)-1)])
	}
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "error %d-%d %s\n", e.Start, e.End, e.Message)
	}
	for _, u := range f.Unread {
		fmt.Fprintf(&b, "unread %d-%d\n", u.Start, u.End)
	}
	return b.String()
}

func diffText(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n want %s\n  got %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// blank works line by line on copies of spaces; it must do what blanking
// byte by byte does: every byte of the range a space but line breaks.
func TestBlankKeepsLineBreaks(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alpha := []byte("ab \n\r\t{}")
	for n := 0; n < 5000; n++ {
		text := make([]byte, rng.Intn(700))
		for i := range text {
			text[i] = alpha[rng.Intn(len(alpha))]
		}
		start, end := rng.Intn(len(text)+2), rng.Intn(len(text)+20)
		want := append([]byte(nil), text...)
		for i := start; i < end && i < len(want); i++ {
			if want[i] != '\n' && want[i] != '\r' {
				want[i] = ' '
			}
		}
		got := append([]byte(nil), text...)
		blank(got, start, end)
		if string(got) != string(want) {
			t.Fatalf("%q %d %d: %q, want %q", text, start, end, got, want)
		}
	}
}

// TestIncrementalRandomEdits edits big statements (parsed in pieces,
// nested, with opaque closures) at random, step after step, and checks
// that every version an incremental parser gives is exactly the full
// parse: every node with its offset, tree errors, errors and unread
// statements. Most edits add lines or comments at line starts, which
// move the statements after them with their text unchanged: those must
// be reused, not parsed again.
func TestIncrementalRandomEdits(t *testing.T) {
	var b strings.Builder
	for c := 0; c < 3; c++ {
		fmt.Fprintf(&b, "objectClass(\"C%d\") {\n", c)
		for a := 0; a < 45; a++ {
			fmt.Fprintf(&b, "    attribute(\"a%d\") {\n        jsonType \"string\"\n        description \"attribute %d\"\n    }\n", a, a)
		}
		if c == 1 {
			b.WriteString("    search {\n")
			for e := 0; e < 45; e++ {
				fmt.Fprintf(&b, "        endpoint(\"/e%d\") {\n            objectExtractor { it.items }\n            emptyFilterSupported true\n        }\n", e)
			}
			b.WriteString("    }\n")
		}
		b.WriteString("}\ndef helper(x) { x }\n")
	}
	text := b.String()
	lines := []string{"\n", "// note\n", "    attribute(\"z\") { jsonType \"string\" }\n", "objectExtractor { it }\n", "def y = 2\n"}
	snippets := []string{"x", "\n", " ", "{", "}", "(", ")", "\"", "//", "/*", "*/", "${", "/", ";", "attribute(\"n\") { jsonType \"integer\" }\n"}
	steps := 200
	if testing.Short() {
		steps = 40
	}
	reused, clean := 0, 0
	for seed := int64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var inc Incremental
		cur := []byte(text)
		var prev *File
		for step := 0; step < steps; step++ {
			switch r := rng.Intn(10); {
			case r == 0:
				cur = []byte(text)
			case r < 6:
				starts := []int{0}
				for i, c := range cur {
					if c == '\n' {
						starts = append(starts, i+1)
					}
				}
				at := starts[rng.Intn(len(starts))]
				cur = append(append(append([]byte(nil), cur[:at]...), lines[rng.Intn(len(lines))]...), cur[at:]...)
			default:
				cur = mutate(rng, cur, snippets)
			}
			got := inc.Parse(cur)
			// A parser with nothing cached parses big statements in
			// pieces too: the versions before must make no difference.
			var first Incremental
			want := first.Parse(cur)
			first.Close()
			if g, w := fileDump(got), fileDump(want); g != w || got.TreeErrors != want.TreeErrors {
				inc.Close()
				t.Fatalf("seed %d step %d: incremental and first parses differ (tree errors %d, %d):\n%s\ntext:\n%s", seed, step, got.TreeErrors, want.TreeErrors, diffText(w, g), cur)
			}
			// Parsed in pieces or whole, a statement gives the same
			// nodes, unless tree-sitter's error recovery had to guess
			// (the guess depends on the text it sees).
			if full := Parse(cur); full.TreeErrors == 0 {
				if g, w := fileDump(got), fileDump(full); g != w || got.TreeErrors != 0 {
					inc.Close()
					t.Fatalf("seed %d step %d: incremental and full parses differ (tree errors %d):\n%s\ntext:\n%s", seed, step, got.TreeErrors, diffText(w, g), cur)
				}
				clean++
			}
			if prev != nil {
				old := map[*Node]bool{}
				for _, n := range prev.Body {
					old[n] = true
				}
				for _, n := range got.Body {
					if old[n] {
						reused++
					}
				}
			}
			prev = got
		}
		inc.Close()
	}
	if reused == 0 || clean < steps {
		t.Errorf("%d statements reused, %d versions without tree errors: the test tests little", reused, clean)
	}
	t.Logf("%d statements reused, %d of %d versions without tree errors", reused, clean, 3*steps)
}

// TestIncrementalMovedUnread: a big statement with a statement in it the
// parser gave up on (for its steps, the same on any machine) keeps that
// statement unread, at its new place, when an edit moves it.
func TestIncrementalMovedUnread(t *testing.T) {
	SetBudget(Budget{Time: time.Nanosecond, Steps: 1500, Backstop: time.Hour})
	defer SetBudget(DefaultBudget)
	var b strings.Builder
	b.WriteString("objectClass(\"C\") {\n")
	for a := 0; a < 60; a++ {
		fmt.Fprintf(&b, "    attribute(\"a%d\") {\n        jsonType \"string\"\n    }\n", a)
	}
	b.WriteString("    attribute(\"long\") {\n")
	for d := 0; d < 40; d++ {
		fmt.Fprintf(&b, "        description \"line %d of a description too long for the budget\"\n", d)
	}
	b.WriteString("    }\n}\n")
	base := b.String()
	var inc Incremental
	defer inc.Close()
	for i, src := range []string{base, "// header\n" + base, "\n" + base} {
		got := inc.Parse([]byte(src))
		var first Incremental
		want := first.Parse([]byte(src))
		first.Close()
		if len(want.Unread) == 0 {
			t.Fatalf("version %d: nothing given up on; the budget does not work as the test expects", i)
		}
		if g, w := fileDump(got), fileDump(want); g != w {
			t.Errorf("version %d differs from a first parse:\n%s", i, diffText(w, g))
		}
	}
}
