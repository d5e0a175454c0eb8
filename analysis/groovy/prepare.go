package groovy

import "bytes"

// Region is a span of the original text whose body connls does not read
// as DSL: a runtime closure (objectExtractor {}, implementation {}, ...)
// or a method or class body. Such bodies are ordinary Groovy that the
// framework runs later with a context object as delegate (dsl.md §2.0).
type Region struct {
	Owner      string // the call or keyword the closure belongs to
	Start, End int    // the braces, inclusive of both
	// Facts about the body that rules need without a syntax tree.
	UsesIt       []int // offsets of the identifier "it"
	AssignsIt    bool  // "it = ..." occurs (the OpenProject work-around)
	FilterEquals []int // offsets of ".equals" called on attributeFilter(...)
}

// runtimeClosures are DSL calls whose closure is stored and run later as
// plain Groovy (dsl.md §2.0, §2.4, §2.8, §2.12).
var runtimeClosures = map[string]bool{
	"objectExtractor": true, "pagingSupport": true, "supportedFilter": true,
	"deserialize": true, "serialize": true,
	"rewriteUid": true, "rewriteName": true, "restoreUid": true, "restoreName": true,
	"buildTokenRequest": true, "parseTokenResponse": true, "validateToken": true,
	"applyToken": true, "onResponse": true, "beforeSign": true, "withImplementation": true,
}

// controlKeywords own blocks whose statements still belong to the
// enclosing DSL closure.
var controlKeywords = map[string]bool{
	"if": true, "else": true, "for": true, "while": true, "do": true, "try": true,
	"catch": true, "finally": true, "switch": true, "synchronized": true,
}

var methodModifiers = map[string]bool{
	"def": true, "void": true, "static": true, "private": true, "public": true,
	"protected": true, "final": true, "abstract": true, "synchronized": true,
	"boolean": true, "int": true, "long": true, "double": true, "float": true,
	"char": true, "byte": true, "short": true,
}

// prepared is the outcome of the prepass.
type prepared struct {
	text     []byte // same length and line structure as the source
	comments []Comment
	errs     []SyntaxError
	regions  []Region
	chains   []int // offsets right after the first string of `name "a" "b"`
	declared map[string]bool
	stmts    []stmt // the kept top-level statements
	// What the incremental prepass (reprepare) needs of this version:
	// the names of declared in text order, where they are declared, and
	// the places the prepass may resume. None are kept when the text
	// has lexical errors.
	decls    []decl
	cuts     []cut
	noSlashy []int  // see lexer.noSlashy
	lead     *cut   // while preparing a window: the cut it starts at
	scratch  []stmt // walkBlock's, while findRegions runs
}

// decl is a name the script declares and the offset of its token.
type decl struct {
	off  int
	name string
}

// cut is the start of a top-level statement that begins its line, where
// the lexer is in code outside any bracket: the prepass of a new version
// can resume there. prev is the last token before it (hasPrev false at
// the start of the text): whether an edit before the cut joins the
// statement to the one before depends on it and on first, the cut's own
// token.
type cut struct {
	off         int
	prev, first shape
	hasPrev     bool
}

// shape is what continues looks at in a token.
type shape struct {
	kind tokKind
	ch   byte
}

func shapeOf(t token) shape { return shape{t.kind, t.ch} }

func (s shape) tok() token { return token{kind: s.kind, ch: s.ch} }

func prepare(src []byte) *prepared {
	p, _ := prepareWith(src, nil, nil)
	return p
}

// prepareWith is prepare with the tokens lexed into toks and the
// prepared text copied into text (either nil: new slices), and returns
// the tokens: Parse hands in buffers it reuses, as neither outlives the
// parse.
func prepareWith(src []byte, toks []token, text []byte) (*prepared, []token) {
	lx := lexInto(src, 0, len(src), toks)
	p := &prepared{
		text:     append(text[:0], src...),
		comments: lx.comments,
		errs:     lx.errs,
		noSlashy: lx.noSlashy,
		declared: map[string]bool{},
	}
	for _, c := range lx.comments {
		blank(p.text, c.Start, c.End)
	}
	p.passes(src, lx.toks, 1)
	if len(p.errs) > 0 || lx.openAtEOF {
		// Never resumed from (see reprepare). A string or comment open
		// at the end may leave no error of its own (when a slash that
		// was tried as a slashy string ran into it).
		p.cuts = nil
	}
	p.declaredFromDecls()
	return p, lx.toks
}

// passes runs the passes after the lexer over toks; collectDeclared
// starts at token from.
func (p *prepared) passes(src []byte, toks []token, from int) {
	p.rewriteForEach(src, toks)
	p.blankMultiCatch(src, toks)
	p.blankGenerics(src, toks)
	p.splitCommandChains(src, toks)
	p.findRegions(src, toks)
	p.collectDeclared(src, toks, from)
}

func (p *prepared) declaredFromDecls() {
	for _, d := range p.decls {
		p.declared[d.name] = true
	}
}

// blank replaces text[start:end] with spaces, keeping line breaks.
func blank(text []byte, start, end int) {
	// Line by line with bytes.IndexByte and copies of spaces, not byte
	// by byte: the big closures of a big statement are blanked again
	// after every edit inside it.
	end = min(end, len(text))
	if start >= end {
		return
	}
	seg := text[start:end]
	for len(seg) > 0 {
		line := seg
		if i := bytes.IndexByte(seg, '\n'); i >= 0 {
			line, seg = seg[:i], seg[i+1:]
		} else {
			seg = nil
		}
		for len(line) > 0 {
			j := bytes.IndexByte(line, '\r')
			if j < 0 {
				fillSpaces(line)
				break
			}
			fillSpaces(line[:j])
			line = line[j+1:]
		}
	}
}

var spaces = bytes.Repeat([]byte{' '}, 256)

func fillSpaces(b []byte) {
	for len(b) > 0 {
		b = b[copy(b, spaces):]
	}
}

func tokText(src []byte, t token) string { return string(src[t.start:t.end]) }

func isPunct(t token, c byte) bool { return t.kind == tPunct && t.ch == c }

// rewriteForEach turns `for (Type name : expr)` into `for (name in expr)`
// padded to the same length; the grammar knows only the `in` form.
func (p *prepared) rewriteForEach(src []byte, toks []token) {
	for k := 0; k+1 < len(toks); k++ {
		if toks[k].kind != tIdent || tokText(src, toks[k]) != "for" || toks[k+1].kind != tOpen || toks[k+1].ch != '(' {
			continue
		}
		end := toks[k+1].match
		if end < 0 {
			continue
		}
		colon, depth := -1, 0
		for j := k + 2; j < end; j++ {
			t := toks[j]
			switch {
			case t.kind == tOpen:
				depth++
			case t.kind == tClose:
				depth--
			case depth == 0 && isPunct(t, ';'):
				colon = -2
			case depth == 0 && t.kind == tIdent && tokText(src, t) == "in":
				colon = -2
			case depth == 0 && isPunct(t, ':') && colon == -1:
				colon = j
			}
			if colon == -2 {
				break
			}
		}
		if colon < k+4 || toks[colon-1].kind != tIdent {
			continue // needs at least a type and a name before the colon
		}
		name := toks[colon-1]
		start, stop := toks[k+2].start, toks[colon].end
		repl := tokText(src, name) + " in "
		if len(repl) > stop-start {
			continue
		}
		seg := src[start:stop]
		if containsNewline(seg) {
			continue
		}
		copy(p.text[start:], repl)
		blank(p.text, start+len(repl), stop)
	}
}

// blankMultiCatch turns `catch (A | B e)` into `catch (A     e)`; the
// grammar knows only single-type catch clauses.
func (p *prepared) blankMultiCatch(src []byte, toks []token) {
	for k := 0; k+1 < len(toks); k++ {
		if toks[k].kind != tIdent || tokText(src, toks[k]) != "catch" || toks[k+1].kind != tOpen || toks[k+1].ch != '(' {
			continue
		}
		end := toks[k+1].match
		if end < k+4 {
			continue
		}
		for j := k + 2; j < end-1; j++ {
			if isPunct(toks[j], '|') {
				blank(p.text, toks[j].start, toks[end-1].start)
				break
			}
		}
	}
}

func containsNewline(b []byte) bool {
	for _, c := range b {
		if c == '\n' {
			return true
		}
	}
	return false
}

// blankGenerics blanks type arguments (Map<String, List<Integer>>); the
// grammar trips over nested ones and the model never needs them.
func (p *prepared) blankGenerics(src []byte, toks []token) {
	for k := 0; k+1 < len(toks); k++ {
		t := toks[k]
		if t.kind != tIdent || !isPunct(toks[k+1], '<') {
			continue
		}
		c := src[t.start]
		if !(c >= 'A' && c <= 'Z') {
			continue
		}
		depth, j := 0, k+1
		ok := false
	scan:
		for ; j < len(toks); j++ {
			u := toks[j]
			switch {
			case isPunct(u, '<'):
				depth++
			case isPunct(u, '>'):
				depth--
				if depth == 0 {
					ok = true
					break scan
				}
			case u.kind == tIdent, isPunct(u, '.'), isPunct(u, ','), isPunct(u, '?'),
				u.kind == tOpen && u.ch == '[', u.kind == tClose && u.ch == ']':
			default:
				break scan
			}
		}
		if ok && !containsNewline(src[toks[k+1].start:toks[j].end]) {
			blank(p.text, toks[k+1].start, toks[j].end)
			k = j
		}
	}
}

// splitCommandChains handles `connIdAttribute "UID" "id"`: Groovy reads it
// as the command chain connIdAttribute("UID")."id" (dsl.md §2.0), which
// the grammar cannot parse and then swallows the next line. A comma in the
// gap keeps the tree sane and lets the model read what the author meant;
// the chain is remembered so that a rule reports the missing comma (the
// framework fails on it) as the one error, without follow-on errors.
func (p *prepared) splitCommandChains(src []byte, toks []token) {
	for k := 0; k+2 < len(toks); k++ {
		a, s1, s2 := toks[k], toks[k+1], toks[k+2]
		if a.kind != tIdent || s1.kind != tString || s2.kind != tString {
			continue
		}
		if s1.line != a.line || s2.line != a.line || s2.start == s1.end {
			continue
		}
		if k > 0 {
			prev := toks[k-1]
			if prev.line == a.line && !(prev.kind == tOpen && prev.ch == '{') && !isPunct(prev, ';') {
				continue
			}
		}
		p.text[s1.end] = ','
		p.chains = append(p.chains, s1.end)
	}
}

// findRegions walks the blocks of the script from the top level down. In
// the top level and in every DSL closure, statements that cannot be DSL
// (declarations, assignments, method and class definitions, other
// expression statements) are blanked: the model does not need them and
// they hold the Groovy the grammar reads worst (lambdas, method
// references, annotations, multi-catch). Closures that are runtime code
// are blanked and recorded as regions.
func (p *prepared) findRegions(src []byte, toks []token) {
	p.stmts = append(p.stmts, p.walkBlock(src, toks, 0, len(toks), "")...)
	p.scratch = nil
	// The places a later version's prepass may resume from.
	for k := 0; k < len(toks); k = statementEnd(src, toks, k, len(toks)) {
		t := toks[k]
		if t.kind != tIdent {
			continue
		}
		switch {
		case k > 0 && toks[k-1].line != t.line:
			p.cuts = append(p.cuts, cut{off: t.start, prev: shapeOf(toks[k-1]), first: shapeOf(t), hasPrev: true})
		case k == 0 && p.lead != nil:
			c := *p.lead
			c.off, c.first = t.start, shapeOf(t)
			p.cuts = append(p.cuts, c)
		case k == 0:
			p.cuts = append(p.cuts, cut{off: t.start, first: shapeOf(t)})
		}
	}
}

// blankedStarts are first words of statements that are never DSL calls.
var blankedStarts = map[string]bool{
	"def": true, "var": true, "final": true, "static": true, "return": true, "throw": true,
	"assert": true, "class": true, "interface": true, "enum": true, "trait": true,
	"abstract": true, "public": true, "private": true, "protected": true, "new": true,
	"break": true, "continue": true, "this": true, "super": true, "void": true,
}

// stmt is a kept statement of a DSL block: byte offsets of its text and
// the closures in it. The parser uses this tree to parse statement by
// statement, so that an edit re-parses only the statement it touched.
type stmt struct {
	start, end int
	closures   []closureInfo
	// moved is added to every offset in closures: a statement after an
	// edit that changed the length of the text is moved without copying
	// its closures, which only big statements need (see settled).
	moved int
}

// settled returns the statement with moved applied to its closures.
func (s stmt) settled() stmt {
	if s.moved == 0 {
		return s
	}
	d := s.moved
	s.moved = 0
	if s.closures != nil {
		cs := make([]closureInfo, len(s.closures))
		for i, c := range s.closures {
			c.open += d
			c.close += d
			if c.body != nil {
				body := make([]stmt, len(c.body))
				for j, b := range c.body {
					b.start += d
					b.end += d
					b.moved += d
					body[j] = b.settled()
				}
				c.body = body
			}
			cs[i] = c
		}
		s.closures = cs
	}
	return s
}

// closureInfo is a closure of a statement; body is set for DSL closures.
type closureInfo struct {
	open, close int // offsets of the braces
	opaque      bool
	body        []stmt
}

// walkBlock handles the statements of toks[from:to], all inside one block
// (or the top level), whose owner is the given call name.
//
// The statements are gathered on p.scratch (the blocks inside them
// above them) and copied out at their final number: one allocation a
// block, not one for each time the list grows.
func (p *prepared) walkBlock(src []byte, toks []token, from, to int, owner string) []stmt {
	base := len(p.scratch)
	for k := from; k < to; {
		end := statementEnd(src, toks, k, to)
		if keepStatement(src, toks, k, end) {
			st := stmt{start: toks[k].start, end: toks[end-1].end, closures: p.walkStatement(src, toks, k, end, owner)}
			p.scratch = append(p.scratch, st)
		} else {
			blank(p.text, toks[k].start, toks[end-1].end)
		}
		k = end
	}
	if len(p.scratch) == base {
		return nil
	}
	out := append([]stmt(nil), p.scratch[base:]...)
	clear(p.scratch[base:])
	p.scratch = p.scratch[:base]
	return out
}

// walkStatement finds the closures of a kept statement and decides for
// each whether it is DSL (walked) or runtime code (blanked).
func (p *prepared) walkStatement(src []byte, toks []token, from, to int, parent string) []closureInfo {
	var out []closureInfo
	for k := from; k < to; k++ {
		t := toks[k]
		if t.kind != tOpen || t.ch != '{' {
			continue // walk into ( and [ to find closure arguments
		}
		end := t.match
		if end < 0 || end > to {
			end = to
		}
		owner, opaque := closureOwner(src, toks, k, parent)
		if opaque {
			if t.match > k {
				r := Region{Owner: owner, Start: t.start, End: toks[t.match].end}
				scanRegion(src, toks[k+1:t.match], &r)
				p.regions = append(p.regions, r)
				blank(p.text, t.start+1, toks[t.match].start)
			}
		} else if t.match > k {
			out = append(out, closureInfo{open: t.start, close: toks[t.match].start, body: p.walkBlock(src, toks, k+1, end, owner)})
		} else {
			p.walkBlock(src, toks, k+1, end, owner)
		}
		k = end
	}
	return out
}

// statementEnd returns the index after the last token of the statement
// that starts at toks[k]. Statements end at a ';' or at a line break,
// unless the next line continues the expression.
func statementEnd(src []byte, toks []token, k, to int) int {
	j := k
	for j < to {
		t := toks[j]
		if isPunct(t, ';') {
			if j == k {
				return j + 1
			}
			return j
		}
		if t.kind == tOpen {
			if t.match < 0 || t.match >= to {
				return to
			}
			j = t.match
		}
		next := j + 1
		if next >= to {
			return to
		}
		if toks[next].line != toks[j].line && !continues(toks[j], toks[next]) {
			return next
		}
		j = next
	}
	return to
}

// continues reports whether a line ending in last continues on the line
// starting with first.
func continues(last, first token) bool {
	if last.kind == tPunct {
		switch last.ch {
		case ';':
			return false
		case ')', ']', '}':
			return false
		}
		return true // a binary operator, '.', ',', '=' ...
	}
	if first.kind == tPunct {
		switch first.ch {
		case '.', '?', ':', '&', '|', '+', '*', '/', '%', '^', '=', '<', '>':
			return true
		}
	}
	return false
}

// keepStatement reports whether toks[from:to] may be a DSL call (or a
// control statement that holds some).
func keepStatement(src []byte, toks []token, from, to int) bool {
	t := toks[from]
	if t.kind != tIdent {
		return false
	}
	w := src[t.start:t.end] // looked up without a string of it
	if controlKeywords[string(w)] || string(w) == "import" || string(w) == "package" {
		return true
	}
	if blankedStarts[string(w)] {
		return false
	}
	if from+1 >= to {
		return false // a bare name
	}
	n := toks[from+1]
	switch {
	case n.kind == tOpen:
		return n.ch != '['
	case n.kind == tString, n.kind == tNumber:
		return true
	case n.kind == tIdent:
		// `Type name = value` declares; `role SUBJECT` calls.
		return !(from+2 < to && isPunct(toks[from+2], '='))
	case isPunct(n, '-') || isPunct(n, '!'):
		return n.end < len(src) && from+2 < to && toks[from+2].start == n.end // x -1, not x - 1
	}
	return false
}

// closureOwner names the call a '{' belongs to and decides whether its
// body is DSL (false) or opaque Groovy (true).
func closureOwner(src []byte, toks []token, k int, parent string) (string, bool) {
	if k == 0 {
		return "", true
	}
	prev := toks[k-1]
	name := ""
	nameAt := -1
	switch {
	case prev.kind == tIdent:
		name, nameAt = tokText(src, prev), k-1
		if controlKeywords[name] {
			return name, false
		}
		// class Foo {, class Foo extends Bar {, enum E {
		for j := k - 1; j >= 0 && toks[j].line == prev.line; j-- {
			if toks[j].kind == tIdent {
				switch tokText(src, toks[j]) {
				case "class", "interface", "enum", "trait":
					return "class", true
				}
			}
		}
	case prev.kind == tClose && prev.ch == ')' && prev.match >= 1:
		open := prev.match
		if toks[open-1].kind != tIdent {
			return "", true
		}
		name, nameAt = tokText(src, toks[open-1]), open-1
		if controlKeywords[name] {
			return name, false
		}
		if nameAt >= 1 {
			before := toks[nameAt-1]
			if before.line == toks[nameAt].line && isMethodDefinition(src, before) {
				return "def " + name, true
			}
		}
	case prev.kind == tPunct && prev.ch == ',' || prev.kind == tOpen && prev.ch == '(':
		// A closure passed as an argument: objectClass "A", { ... } or
		// foo(x, { ... }). The owner is the call that the argument list
		// belongs to.
		depth := 0
		for j := k - 1; j >= 0; j-- {
			u := toks[j]
			if u.kind == tClose {
				depth++
				continue
			}
			if u.kind == tOpen {
				if depth > 0 {
					depth--
					continue
				}
				if u.ch == '(' && j > 0 && toks[j-1].kind == tIdent {
					name, nameAt = tokText(src, toks[j-1]), j-1
				}
				break
			}
			if depth == 0 && u.line != prev.line {
				break
			}
			if depth == 0 && u.kind == tIdent && (j == 0 || toks[j-1].line != u.line || toks[j-1].kind == tOpen && toks[j-1].ch == '{' || isPunct(toks[j-1], ';')) {
				name, nameAt = tokText(src, u), j
				break
			}
		}
		if name == "" {
			return "", true
		}
	default:
		return "", true
	}
	if nameAt >= 1 && isPunct(toks[nameAt-1], '.') {
		return "." + name, true // a method of some object: each {}, with {}, ...
	}
	switch {
	case runtimeClosures[name]:
		return name, true
	case name == "implementation":
		return name, parent != "json" && parent != "scim"
	case name == "search":
		return name, parent == "resolver" || parent == "attributeResolver"
	}
	return name, false
}

func isMethodDefinition(src []byte, before token) bool {
	switch {
	case before.kind == tIdent:
		w := src[before.start:before.end]
		if methodModifiers[string(w)] {
			return true
		}
		return w[0] >= 'A' && w[0] <= 'Z'
	case before.kind == tClose && before.ch == ']':
		return true
	case isPunct(before, '>'):
		return true
	}
	return false
}

// scanRegion records facts about an opaque body for rules.
func scanRegion(src []byte, body []token, r *Region) {
	for j, t := range body {
		if t.kind != tIdent {
			continue
		}
		switch tokText(src, t) {
		case "it":
			if j > 0 && isPunct(body[j-1], '.') {
				continue
			}
			r.UsesIt = append(r.UsesIt, t.start)
			if j+1 < len(body) && isPunct(body[j+1], '=') && (j+2 >= len(body) || !isPunct(body[j+2], '=')) && body[j+1].end == body[j+1].start+1 {
				r.AssignsIt = true
			}
		case "equals":
			// attributeFilter("x").equals(v): Object.equals, not a filter.
			if j >= 2 && isPunct(body[j-1], '.') && body[j-2].kind == tClose && body[j-2].ch == ')' {
				if m := findOpen(body, j-2); m >= 1 && body[m-1].kind == tIdent && tokText(src, body[m-1]) == "attributeFilter" {
					r.FilterEquals = append(r.FilterEquals, t.start)
				}
			}
		}
	}
}

// findOpen finds the '(' that the ')' at body[c] closes, within body.
func findOpen(body []token, c int) int {
	depth := 0
	for j := c; j >= 0; j-- {
		switch body[j].kind {
		case tClose:
			depth++
		case tOpen:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// collectDeclared gathers names the script itself declares (methods,
// variables, closure parameters), so calls to them are never reported as
// unknown DSL.
func (p *prepared) collectDeclared(src []byte, toks []token, from int) {
	for k := from; k < len(toks); k++ {
		t := toks[k]
		if t.kind != tIdent {
			continue
		}
		if k > 0 {
			prev := toks[k-1]
			if prev.kind == tIdent && prev.line == t.line {
				w := src[prev.start:prev.end]
				if methodModifiers[string(w)] || string(w) == "var" || w[0] >= 'A' && w[0] <= 'Z' {
					p.decls = append(p.decls, decl{t.start, tokText(src, t)})
					continue
				}
			}
		}
		if k+1 < len(toks) && isPunct(toks[k+1], '-') && k+2 < len(toks) && isPunct(toks[k+2], '>') {
			p.decls = append(p.decls, decl{t.start, tokText(src, t)})
		}
	}
}
