// Package groovy reads Groovy scripts of the connector DSL into a small
// syntax tree with byte offsets.
//
// Parsing has two stages. A hand-written lexer understands exactly what
// decides whether Groovy text is well formed at the token level: strings
// of every kind (with ${} interpolation), comments and bracket nesting.
// It reports syntax errors from that knowledge alone, so valid Groovy is
// never flagged because of a grammar gap. It also prepares a copy of the
// text for tree-sitter that keeps every byte offset: comments and the
// bodies of runtime closures (ordinary Groovy run later by the framework,
// not DSL) are blanked, and the few constructs the tree-sitter grammar
// cannot read (for-each loops with a colon, nested generics, doc
// comments) are rewritten into equivalents of the same length. Tree-sitter
// then parses the DSL structure, which is all the model needs.
package groovy

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tIdent tokKind = iota
	tNumber
	tString
	tPunct
	tOpen
	tClose
)

type token struct {
	kind       tokKind
	ch         byte // the character of punctuation and brackets
	start, end int
	line       int
	match      int // index of the matching bracket token, or -1
}

// Comment is a comment of the original text.
type Comment struct {
	Start, End int
	Text       string
}

// SyntaxError is an error the Groovy compiler would also report.
type SyntaxError struct {
	Start, End int
	Message    string
}

type lexer struct {
	src  []byte
	i    int
	stop int // where code stops: the end of src, or of lexRange's window
	// noSlashy are the offsets of slashes that might have started a
	// slashy string but found no closing slash in the rest of the text:
	// an edit anywhere after them may change how they read.
	noSlashy []int
	line     int
	toks     []token
	comments []Comment
	errs     []SyntaxError
	stack    []int // indices of open brackets in toks
	// openAtEOF is set when a string or comment runs to the end of the
	// text.
	openAtEOF    bool
	closedInterp bool // an interpolation's closing brace was found
}

func (lx *lexer) errorf(start, end int, format string, args ...any) {
	lx.errs = append(lx.errs, SyntaxError{Start: start, End: end, Message: fmt.Sprintf(format, args...)})
}

// lex tokenizes the whole source.
func lex(src []byte) *lexer { return lexInto(src, 0, len(src), nil) }

// lexRange tokenizes src[from:to] as the lexer would when it reaches
// from in code outside any bracket: what the incremental prepass needs
// (see reprepare), which checks that it is there. It looks past to
// where the lexer of the whole text would (how far a string runs), and
// stops at the first token that starts at or after to: lx.i is then
// to only if no token runs past it.
func lexRange(src []byte, from, to int) *lexer { return lexInto(src, from, to, nil) }

// lexInto is lexRange with the tokens appended to toks[:0] (nil: a new
// slice).
func lexInto(src []byte, from, to int, toks []token) *lexer {
	if want := (to-from)/6 + 16; cap(toks) < want {
		toks = make([]token, 0, want)
	}
	lx := &lexer{src: src, i: from, stop: to, toks: toks[:0]}
	if from == 0 && len(src) >= 2 && src[0] == '#' && src[1] == '!' {
		end := lx.lineEnd(0)
		lx.comments = append(lx.comments, Comment{0, end, string(src[:end])})
		lx.i = end
	}
	lx.code(false)
	if len(lx.noSlashy) == 0 {
		lx.noSlashy = nil
	}
	if len(lx.errs) == 0 {
		lx.errs = nil
	}
	// A string or comment left open runs to the end of the file and
	// leaves every bracket after it open too; report only its own error.
	if !lx.openAtEOF {
		for _, k := range lx.stack {
			t := lx.toks[k]
			lx.errorf(t.start, t.end, "%q is never closed: missing %q", t.ch, closing(t.ch))
		}
	}
	return lx
}

func closing(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

func (lx *lexer) lineEnd(i int) int {
	for i < len(lx.src) && lx.src[i] != '\n' {
		i++
	}
	return i
}

// code lexes Groovy code. In an interpolation (${...}) it stops after the
// brace that closes it and keeps its tokens out of the main stream.
func (lx *lexer) code(interp bool) {
	depth := 0
	src := lx.src
	for lx.i < lx.stop {
		c := src[lx.i]
		switch {
		case c == '\n':
			lx.line++
			lx.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			lx.i++
		case c == '\\' && lx.i+1 < len(src) && (src[lx.i+1] == '\n' || src[lx.i+1] == '\r'):
			lx.i++ // line continuation
		case c == '/' && lx.i+1 < len(src) && src[lx.i+1] == '/':
			end := lx.lineEnd(lx.i)
			lx.comments = append(lx.comments, Comment{lx.i, end, string(src[lx.i:end])})
			lx.i = end
		case c == '/' && lx.i+1 < len(src) && src[lx.i+1] == '*':
			lx.blockComment()
		case c == '\'' || c == '"':
			lx.str(c)
		case c == '$' && lx.i+1 < len(src) && src[lx.i+1] == '/':
			lx.dollarSlashy()
		case c == '/' && lx.regexAllowed() && lx.slashy():
			// slashy string consumed
		case isIdentStart(src, lx.i):
			start := lx.i
			for lx.i < len(src) && isIdentPart(src, lx.i) {
				_, size := utf8.DecodeRune(src[lx.i:])
				lx.i += size
			}
			lx.emit(tIdent, 0, start, lx.i)
		case c >= '0' && c <= '9' || c == '.' && lx.i+1 < len(src) && isDigit(src[lx.i+1]) && !lx.afterDot():
			lx.number()
		case c == '(' || c == '[' || c == '{':
			if interp {
				if c == '{' {
					depth++
				}
				lx.i++
				continue
			}
			lx.stack = append(lx.stack, len(lx.toks))
			lx.emit(tOpen, c, lx.i, lx.i+1)
			lx.i++
		case c == ')' || c == ']' || c == '}':
			if interp {
				lx.i++
				if c == '}' {
					if depth == 0 {
						lx.closedInterp = true
						return
					}
					depth--
				}
				continue
			}
			lx.close(c)
			lx.i++
		default:
			if c >= utf8.RuneSelf {
				_, size := utf8.DecodeRune(src[lx.i:])
				lx.emit(tPunct, '?', lx.i, lx.i+size)
				lx.i += size
				continue
			}
			lx.emit(tPunct, c, lx.i, lx.i+1)
			lx.i++
		}
	}
}

func (lx *lexer) emit(k tokKind, ch byte, start, end int) {
	lx.toks = append(lx.toks, token{kind: k, ch: ch, start: start, end: end, line: lx.line, match: -1})
}

// close matches a closing bracket with its opener. A closer that skips
// over unclosed openers reports them; a closer with no opener at all is
// reported itself.
func (lx *lexer) close(c byte) {
	open := byte('{')
	switch c {
	case ')':
		open = '('
	case ']':
		open = '['
	}
	for k := len(lx.stack) - 1; k >= 0; k-- {
		if lx.toks[lx.stack[k]].ch != open {
			continue
		}
		for _, skipped := range lx.stack[k+1:] {
			t := lx.toks[skipped]
			lx.errorf(t.start, t.end, "%q is never closed: missing %q", t.ch, closing(t.ch))
		}
		opener := lx.stack[k]
		lx.stack = lx.stack[:k]
		lx.toks[opener].match = len(lx.toks)
		lx.emit(tClose, c, lx.i, lx.i+1)
		lx.toks[len(lx.toks)-1].match = opener
		return
	}
	lx.errorf(lx.i, lx.i+1, "unexpected %q: nothing to close", c)
	lx.emit(tClose, c, lx.i, lx.i+1)
}

func (lx *lexer) afterDot() bool {
	n := len(lx.toks)
	return n > 0 && lx.toks[n-1].kind == tPunct && lx.toks[n-1].ch == '.' && lx.toks[n-1].end == lx.i
}

func (lx *lexer) number() {
	src := lx.src
	start := lx.i
	for lx.i < len(src) {
		c := src[lx.i]
		switch {
		case isDigit(c) || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			if (c == 'e' || c == 'E') && lx.i+1 < len(src) && (src[lx.i+1] == '-' || src[lx.i+1] == '+') {
				lx.i++
			}
			lx.i++
		case c == '.' && lx.i+1 < len(src) && isDigit(src[lx.i+1]):
			lx.i++
		default:
			lx.emit(tNumber, 0, start, lx.i)
			return
		}
	}
	lx.emit(tNumber, 0, start, lx.i)
}

func (lx *lexer) blockComment() {
	src := lx.src
	start := lx.i
	lx.i += 2
	for lx.i < len(src) {
		if src[lx.i] == '*' && lx.i+1 < len(src) && src[lx.i+1] == '/' {
			lx.i += 2
			lx.comments = append(lx.comments, Comment{start, lx.i, string(src[start:lx.i])})
			return
		}
		if src[lx.i] == '\n' {
			lx.line++
		}
		lx.i++
	}
	lx.errorf(start, start+2, "comment is never closed: missing \"*/\"")
	lx.openAtEOF = true
	lx.comments = append(lx.comments, Comment{start, lx.i, string(src[start:lx.i])})
}

// str lexes '...', "...", ”'...”' and """...""".
func (lx *lexer) str(q byte) {
	src := lx.src
	start := lx.i
	triple := lx.i+2 < len(src) && src[lx.i+1] == q && src[lx.i+2] == q
	interp := q == '"'
	if triple {
		lx.i += 3
	} else {
		lx.i++
	}
	for lx.i < len(src) {
		c := src[lx.i]
		switch {
		case c == '\\':
			lx.i += 2
			if lx.i-1 < len(src) && src[lx.i-1] == '\n' {
				lx.line++
			}
			continue
		case c == '\n':
			if !triple {
				lx.errorf(start, lx.i, "string is never closed: missing %c before the end of the line", q)
				lx.emitString(start, lx.i)
				return
			}
			lx.line++
		case interp && c == '$' && lx.i+1 < len(src) && src[lx.i+1] == '{':
			lx.interpolation()
			continue
		case c == q:
			if !triple {
				lx.i++
				lx.emitString(start, lx.i)
				return
			}
			if lx.i+2 < len(src) && src[lx.i+1] == q && src[lx.i+2] == q {
				// A quote right before the closing triple belongs to
				// the string ('''it's''''' ends at the last three).
				for lx.i+3 < len(src) && src[lx.i+3] == q {
					lx.i++
				}
				lx.i += 3
				lx.emitString(start, lx.i)
				return
			}
		}
		lx.i++
	}
	if lx.i > len(src) {
		lx.i = len(src)
	}
	lx.openAtEOF = true
	lx.errorf(start, min(start+3, len(src)), "string is never closed: missing %s", map[bool]string{true: string([]byte{q, q, q}), false: string(q)}[triple])
	lx.emitString(start, lx.i)
}

func (lx *lexer) emitString(start, end int) {
	if end > len(lx.src) {
		end = len(lx.src)
	}
	lx.toks = append(lx.toks, token{kind: tString, start: start, end: end, line: lx.line, match: -1})
}

// interpolation lexes ${...} inside a string, starting at the '$'.
func (lx *lexer) interpolation() {
	start := lx.i
	lx.i += 2
	sub := &lexer{src: lx.src, i: lx.i, stop: len(lx.src), line: lx.line}
	sub.code(true)
	lx.comments = append(lx.comments, sub.comments...)
	lx.errs = append(lx.errs, sub.errs...)
	lx.noSlashy = append(lx.noSlashy, sub.noSlashy...)
	lx.openAtEOF = lx.openAtEOF || sub.openAtEOF
	if sub.i >= len(lx.src) && !sub.closedInterp {
		lx.errorf(start, start+2, "\"${\" is never closed: missing \"}\"")
		lx.openAtEOF = true
	}
	lx.i, lx.line = sub.i, sub.line
}

// regexAllowed reports whether a '/' here starts a slashy string rather
// than dividing: only where an expression may begin.
func (lx *lexer) regexAllowed() bool {
	n := len(lx.toks)
	if n == 0 {
		return true
	}
	t := lx.toks[n-1]
	switch t.kind {
	case tIdent:
		switch string(lx.src[t.start:t.end]) {
		case "return", "in", "case", "assert", "else", "instanceof", "when":
			return true
		}
		return false
	case tNumber, tString:
		return false
	case tClose:
		return false
	case tPunct:
		return t.ch != '+' && t.ch != '-' || !(n >= 2 && lx.toks[n-2].kind == tPunct && lx.toks[n-2].ch == t.ch && lx.toks[n-2].end == t.start)
	}
	return true
}

// slashy lexes /.../; it gives up (returning false, consuming nothing)
// when no closing slash follows, since the '/' was then a division.
func (lx *lexer) slashy() bool {
	src := lx.src
	start := lx.i
	i := lx.i + 1
	if i < len(src) && (src[i] == ' ' || src[i] == '=' || src[i] == '\n') {
		return false
	}
	line := lx.line
	mark := len(lx.noSlashy)
	lx.noSlashy = append(lx.noSlashy, start) // until the closing slash is found
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src) && src[i+1] == '/':
			i += 2
			continue
		case c == '\n':
			line++
		case c == '$' && i+1 < len(src) && src[i+1] == '{':
			save, saveLine, nerr := lx.i, lx.line, len(lx.errs)
			lx.i, lx.line = i, line
			lx.interpolation()
			if len(lx.errs) > nerr {
				lx.i, lx.line, lx.errs = save, saveLine, lx.errs[:nerr]
				return false
			}
			i, line = lx.i, lx.line
			lx.i, lx.line = save, saveLine
			continue
		case c == '/':
			lx.noSlashy = append(lx.noSlashy[:mark], lx.noSlashy[mark+1:]...)
			lx.i, lx.line = i+1, line
			lx.emitString(start, lx.i)
			return true
		}
		i++
	}
	return false
}

// dollarSlashy lexes $/.../$.
func (lx *lexer) dollarSlashy() {
	src := lx.src
	start := lx.i
	lx.i += 2
	for lx.i < len(src) {
		c := src[lx.i]
		switch {
		case c == '$' && lx.i+1 < len(src) && (src[lx.i+1] == '$' || src[lx.i+1] == '/'):
			lx.i += 2
			continue
		case c == '$' && lx.i+1 < len(src) && src[lx.i+1] == '{':
			lx.interpolation()
			continue
		case c == '/' && lx.i+1 < len(src) && src[lx.i+1] == '$':
			lx.i += 2
			lx.emitString(start, lx.i)
			return
		case c == '\n':
			lx.line++
		}
		lx.i++
	}
	lx.errorf(start, start+2, "string is never closed: missing \"/$\"")
	lx.openAtEOF = true
	lx.emitString(start, lx.i)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(src []byte, i int) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRune(src[i:])
	return unicode.IsLetter(r)
}

func isIdentPart(src []byte, i int) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c)
	}
	r, _ := utf8.DecodeRune(src[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
