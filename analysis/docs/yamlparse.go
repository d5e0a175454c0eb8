package docs

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// parseYAMLFast reads the YAML that API descriptions are written in
// straight into a node tree, in one pass, the way parseJSON reads JSON.
// go-yaml first builds a tree of its own (160-byte yaml.Nodes, with
// comments, tags and styles), from tokens and events that each cost an
// allocation; no YAML library builds the readers' nodes, so reading a
// 3.8 MB description went through two whole trees. This parser keeps
// what go-yaml's tree gives the readers (kind, line, column, value,
// children; an alias is a node of its own, named after its anchor) and
// nothing else; scalars that need no unescaping or folding are the text
// itself, as in parseJSON.
//
// It covers block mappings and sequences (also a sequence at its key's
// indentation), flow collections, plain, single- and double-quoted
// scalars with escapes and line folding, literal and folded block
// scalars with their indicators, comments, a leading "---", anchors and
// aliases, LF, CR LF or CR line breaks. Whatever it is not certain to
// read exactly as go-yaml does (complex keys, tags, directives, several
// documents, tabs outside scalar text, malformed documents, ...) it
// refuses (ok false), and the caller reads the text with
// go-yaml, so that the tree and every problem stay go-yaml's.
// TestParseYAMLFastAgrees and FuzzParseYAML compare both, node by node.
func parseYAMLFast(text []byte) (root *node, ok bool) {
	copyValues := false
	if bytes.IndexByte(text, '\r') >= 0 {
		// go-yaml reads CR LF, and CR alone, as one line break, which it
		// gives as LF in values: the text with LFs for them reads the
		// same, at the same lines and columns. The values are copies,
		// since the readers detach only what points into the text they
		// were given.
		text = lfBreaks(text)
		copyValues = true
	}
	if len(text) == 0 || !yamlCharsOK(text) {
		return nil, false
	}
	p := yamlParser{lineCursor: lineCursor{src: unsafe.String(unsafe.SliceData(text), len(text)), line: 1}, copyValues: copyValues}
	defer func() {
		if r := recover(); r != nil {
			if _, refused := r.(yamlRefusal); !refused {
				panic(r)
			}
			root, ok = nil, false
		}
	}()
	p.skipToContent()
	if p.pos < len(p.src) && p.pos == p.lineStart && strings.HasPrefix(p.src[p.pos:], "---") && p.blankz(p.pos+3) {
		p.pos += 3
		p.lineEnd()
		p.skipToContent()
	}
	if p.pos >= len(p.src) {
		p.refuse() // an empty document: go-yaml says what it is
	}
	p.markerCheck = true
	p.checkMarker()
	root = rootOf(p.ownLineNode(-1, 0))
	p.skipToContent()
	if p.pos < len(p.src) {
		p.refuse()
	}
	return root, true
}

// lfBreaks returns a copy of a text with CR LF and CR line breaks made
// LF.
func lfBreaks(text []byte) []byte {
	out := make([]byte, 0, len(text))
	for i, c := range text {
		if c == '\r' {
			if i+1 < len(text) && text[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// yamlRefusal is what the parser panics with when it does not read a
// document; parseYAMLFast recovers it.
type yamlRefusal struct{}

// yamlCharsOK reports whether a text is valid UTF-8 made of characters
// go-yaml reads as text: no control characters but tab and LF (go-yaml
// refuses them, and reads NEL, LS and PS as line breaks), no byte
// order mark.
func yamlCharsOK(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7F {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += size
	}
	return true
}

// maxYAMLDepth is far below go-yaml's nesting limit of 10,000.
const maxYAMLDepth = 1000

// maxSimpleKey is the longest key read here: YAML limits a key without
// "?" to 1,024 characters, which go-yaml's scanners have enforced or not
// over versions; longer ones are left to go-yaml.
const maxSimpleKey = 1000

type yamlParser struct {
	lineCursor  // of pos
	pos         int
	markerCheck bool // refuse document markers at the start of a line
	copyValues  bool // values must not point into src
	alloc       nodeAlloc
	stack       []node
	anchors     map[string]bool
	buf         []byte
}

func (p *yamlParser) refuse() { panic(yamlRefusal{}) }

// column returns the zero-based column of offset i of the current line.
func (p *yamlParser) column(i int) int { return p.chars(i) }

// blankz reports whether offset i is a space, tab, line break or the end.
func (p *yamlParser) blankz(i int) bool {
	return i >= len(p.src) || p.src[i] == ' ' || p.src[i] == '\t' || p.src[i] == '\n'
}

func (p *yamlParser) scalar(line, col int, v string) node {
	n := newNode(scalarKind, line, col+1)
	n.setValue(p.value(v))
	return n
}

// value is a scalar's value as the tree keeps it.
func (p *yamlParser) value(v string) string {
	if p.copyValues {
		return strings.Clone(v)
	}
	return v
}

// skipToContent skips spaces, comments and line breaks up to the next
// token. Tabs there are refused (go-yaml's rules for them depend on
// where they are).
func (p *yamlParser) skipToContent() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ':
			p.pos++
		case '\n':
			p.pos++
			p.newline(p.pos)
		case '#':
			if p.pos > p.lineStart && p.src[p.pos-1] != ' ' {
				p.refuse()
			}
			p.toLineEnd()
		case '\t':
			p.refuse()
		default:
			p.checkMarker()
			return
		}
	}
}

// checkMarker refuses a document marker or a directive at the start of
// a line: a second document, or a document's end.
func (p *yamlParser) checkMarker() {
	if !p.markerCheck || p.pos != p.lineStart || p.pos >= len(p.src) {
		return
	}
	s := p.src[p.pos:]
	if s[0] == '%' || (strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")) && p.blankz(p.pos+3) {
		p.refuse()
	}
}

func (p *yamlParser) toLineEnd() {
	if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i
	} else {
		p.pos = len(p.src)
	}
}

// lineEnd checks that only spaces and a comment follow a token on its
// line, and moves to the line break (or the end).
func (p *yamlParser) lineEnd() {
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] == '\n' {
		return
	}
	// A "#" starts a comment only at the start of a line or after a blank.
	if p.src[p.pos] != '#' || p.pos == start && p.pos > p.lineStart && p.src[p.pos-1] != ' ' {
		p.refuse()
	}
	p.toLineEnd()
}

// atLineEnd reports whether only spaces and maybe a comment are left on
// the line, after skipping the spaces.
func (p *yamlParser) atLineEnd() bool {
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] == '\n' {
		return true
	}
	if p.src[p.pos] == '\t' {
		p.refuse()
	}
	return p.src[p.pos] == '#' && p.pos > start
}

func (p *yamlParser) isEntry(i int) bool {
	return i < len(p.src) && p.src[i] == '-' && p.blankz(i+1)
}

// ownLineNode reads a node that starts a line, at a column past n, the
// column of the collection it is in (-1 at the top).
func (p *yamlParser) ownLineNode(n, depth int) node {
	if depth > maxYAMLDepth {
		p.refuse()
	}
	c := p.column(p.pos)
	if p.isEntry(p.pos) {
		return p.blockSequence(c, false, p.line, c, depth)
	}
	switch p.src[p.pos] {
	case '&', '!', '?', '|', '>':
		p.refuse()
	}
	if p.isKey() {
		return p.blockMapping(c, p.line, c, depth)
	}
	return p.inlineNode(n, false, depth)
}

// isKey reports whether the line from p.pos starts with a key: a scalar
// on the line followed by ": ".
func (p *yamlParser) isKey() bool {
	s := p.src
	i := p.pos
	switch s[i] {
	case '"', '\'':
		q := s[i]
		for i++; ; i++ {
			if i >= len(s) || s[i] == '\n' {
				return false
			}
			if q == '"' && s[i] == '\\' {
				i++
				continue
			}
			if s[i] == q {
				if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				break
			}
		}
		for i++; i < len(s) && s[i] == ' '; i++ {
		}
		return i < len(s) && s[i] == ':' && p.blankz(i+1)
	case '[', '{', '*', '&', '!', '|', '>', '#', '%', '@', '`', ',', ']', '}':
		return false
	}
	for ; i < len(s) && s[i] != '\n'; i++ {
		switch s[i] {
		case ':':
			if p.blankz(i + 1) {
				return true
			}
		case '#':
			if i > p.pos && (s[i-1] == ' ' || s[i-1] == '\t') {
				return false
			}
		}
	}
	return false
}

// blockMapping reads a block mapping whose keys are at column c; the
// node is at line, col (its first key, or its anchor).
func (p *yamlParser) blockMapping(c, line, col, depth int) node {
	m := newNode(mappingKind, line, col+1)
	base := len(p.stack)
	for {
		k := p.key()
		v := p.mapValue(c, depth+1)
		p.stack = append(p.stack, k, v)
		p.skipToContent()
		if p.pos >= len(p.src) {
			break
		}
		if col := p.column(p.pos); col < c {
			break
		} else if col > c || p.isEntry(p.pos) {
			p.refuse()
		}
	}
	m.setContent(p.alloc.pop(&p.stack, base))
	return m
}

// key reads a key and its colon.
func (p *yamlParser) key() node {
	start := p.pos
	line, col := p.line, p.column(p.pos)
	var v string
	switch c := p.src[p.pos]; c {
	case '"', '\'':
		v = p.quoted(-1)
	default:
		if !p.plainStart(p.pos) {
			p.refuse()
		}
		v = p.plainLine(false)
	}
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] != ':' || !p.blankz(p.pos+1) || p.pos-start > maxSimpleKey {
		p.refuse()
	}
	p.pos++
	return p.scalar(line, col, v)
}

// mapValue reads the value of a key of a block mapping at column c,
// from just after its colon.
func (p *yamlParser) mapValue(c, depth int) node {
	line, col := p.line, p.column(p.pos)
	if !p.atLineEnd() {
		if p.isEntry(p.pos) {
			p.refuse()
		}
		return p.inlineNode(c, true, depth)
	}
	p.lineEnd()
	p.skipToContent()
	if p.pos < len(p.src) {
		switch cc := p.column(p.pos); {
		case cc > c:
			return p.ownLineNode(c, depth)
		case cc == c && p.isEntry(p.pos):
			return p.blockSequence(c, true, p.line, c, depth)
		}
	}
	return p.scalar(line, col, "")
}

// blockSequence reads a block sequence whose dashes are at column d. An
// indentless one (the value of a key at the same column) ends at the
// next key.
func (p *yamlParser) blockSequence(d int, indentless bool, line, col, depth int) node {
	if depth > maxYAMLDepth {
		p.refuse()
	}
	s := newNode(sequenceKind, line, col+1)
	base := len(p.stack)
	for {
		p.pos++ // the dash
		p.stack = append(p.stack, p.entry(d, depth+1))
		p.skipToContent()
		if p.pos >= len(p.src) {
			break
		}
		if cc := p.column(p.pos); cc < d {
			break
		} else if cc > d {
			p.refuse()
		}
		if !p.isEntry(p.pos) {
			if indentless {
				break
			}
			p.refuse()
		}
	}
	s.setContent(p.alloc.pop(&p.stack, base))
	return s
}

// entry reads an entry of a block sequence at column d, from just after
// its dash.
func (p *yamlParser) entry(d, depth int) node {
	line, col := p.line, p.column(p.pos)
	if p.atLineEnd() {
		p.lineEnd()
		p.skipToContent()
		if p.pos < len(p.src) && p.column(p.pos) > d {
			return p.ownLineNode(d, depth)
		}
		return p.scalar(line, col, "")
	}
	c := p.column(p.pos)
	if p.isEntry(p.pos) {
		return p.blockSequence(c, false, p.line, c, depth)
	}
	if p.src[p.pos] != '&' && p.isKey() {
		return p.blockMapping(c, p.line, c, depth)
	}
	return p.inlineNode(d, false, depth)
}

// inlineNode reads a node that is not a block collection starting on
// its line (or is one, after an anchor), in a block collection at
// column n; mapValue: it is the value of a key of a block mapping.
func (p *yamlParser) inlineNode(n int, mapValue bool, depth int) node {
	if depth > maxYAMLDepth {
		p.refuse()
	}
	line, col := p.line, p.column(p.pos)
	var v node
	switch c := p.src[p.pos]; c {
	case '&':
		return p.anchored(n, mapValue, depth)
	case '*':
		v = newNode(aliasKind, line, col+1)
		v.setValue(p.value(p.alias()))
	case '[', '{':
		v = p.flow(n, depth)
	case '"', '\'':
		v = p.scalar(line, col, p.quoted(n))
	case '|', '>':
		return p.scalar(line, col, p.blockScalar(n))
	default:
		if !p.plainStart(p.pos) {
			p.refuse()
		}
		v = p.scalar(line, col, p.plain(n))
	}
	p.lineEnd()
	return v
}

// anchored reads an anchor and the node it names, which is where the
// anchor is.
func (p *yamlParser) anchored(n int, mapValue bool, depth int) node {
	line, col := p.line, p.column(p.pos)
	p.pos++
	name := p.anchorName()
	if p.anchors == nil {
		p.anchors = map[string]bool{}
	}
	p.anchors[name] = true
	var v node
	if p.atLineEnd() {
		p.lineEnd()
		p.skipToContent()
		if p.pos >= len(p.src) {
			p.refuse()
		}
		switch cc := p.column(p.pos); {
		case cc > n && p.isEntry(p.pos):
			v = p.blockSequence(cc, false, line, col, depth)
		case cc == n && mapValue && p.isEntry(p.pos):
			v = p.blockSequence(cc, true, line, col, depth)
		case cc > n && p.isKey():
			v = p.blockMapping(cc, line, col, depth)
		case cc <= n:
			return p.scalar(line, col, "")
		default:
			p.refuse()
		}
		return v
	}
	switch p.src[p.pos] {
	case '&', '*', '!', '|', '>':
		p.refuse()
	}
	if p.isEntry(p.pos) || p.isKey() {
		p.refuse()
	}
	v = p.inlineNode(n, false, depth)
	v.Line = int32(line)
	v.setColumn(col + 1)
	return v
}

// anchorName reads the name of an anchor or alias; names are kept to
// the characters go-yaml surely reads as one.
func (p *yamlParser) anchorName() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			p.pos++
			continue
		}
		break
	}
	if p.pos == start || !p.blankz(p.pos) {
		p.refuse()
	}
	return p.src[start:p.pos]
}

func (p *yamlParser) alias() string {
	p.pos++
	name := p.anchorName()
	if !p.anchors[name] {
		p.refuse() // go-yaml: unknown anchor
	}
	return name
}

// plainStart reports whether a plain scalar may start at i: not with an
// indicator (those go-yaml would also read as plain are refused).
func (p *yamlParser) plainStart(i int) bool {
	switch p.src[i] {
	case ' ', '\t', '\n', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '-':
		return !p.blankz(i + 1)
	}
	return true
}

// plainLine reads the rest of a plain scalar's line in block context: up
// to ": ", " #" or the line break, without the blanks before them.
func (p *yamlParser) plainLine(flow bool) string {
	s := p.src
	start, end := p.pos, p.pos
	i := p.pos
loop:
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			break loop
		case ' ', '\t':
			continue
		case ':':
			if p.blankz(i+1) || flow && i+1 < len(s) && (s[i+1] == ',' || s[i+1] == ']' || s[i+1] == '}') {
				break loop
			}
		case '#':
			if i > start && (s[i-1] == ' ' || s[i-1] == '\t') {
				break loop
			}
		case ',', '[', ']', '{', '}':
			if flow {
				break loop
			}
		case '?':
			if flow && p.blankz(i+1) {
				break loop
			}
		}
		end = i + 1
	}
	p.pos = end
	return s[start:end]
}

// plain reads a plain scalar in block context, with the lines that
// continue it (indented past n), folded as go-yaml folds them.
func (p *yamlParser) plain(n int) string {
	first := p.plainLine(false)
	s := p.src
	// Only a line break may be left before continuation lines.
	i := p.pos
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] != '\n' {
		return first
	}
	b := p.buf[:0]
	folded := false
	for {
		// i is at a line break: count the empty lines after it.
		breaks := 0
		j := i
		var lineStart, spaces int
		for {
			j++ // the break
			lineStart = j
			for j < len(s) && s[j] == ' ' {
				j++
			}
			spaces = j - lineStart
			if j < len(s) && s[j] == '\t' {
				p.refuse()
			}
			if j < len(s) && s[j] == '\n' {
				breaks++
				continue
			}
			break
		}
		if j >= len(s) || spaces <= n || s[j] == '#' {
			break
		}
		if n < 0 {
			p.refuse()
		}
		// A continuation line.
		if !folded {
			b = append(b, first...)
			folded = true
		}
		if breaks == 0 {
			b = append(b, ' ')
		} else {
			for range breaks {
				b = append(b, '\n')
			}
		}
		// Move the parser's line to the continuation line.
		for k := i; k < lineStart; k++ {
			if s[k] == '\n' {
				p.line++
			}
		}
		p.lineStart, p.col, p.colAt = lineStart, 0, 0
		p.pos = j
		b = append(b, p.plainLine(false)...)
		k := p.pos
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k < len(s) && s[k] == ':' {
			p.refuse() // a key after a multi-line scalar
		}
		if k >= len(s) || s[k] != '\n' {
			break // a comment ends it
		}
		i = k
	}
	p.buf = b
	if !folded {
		return first
	}
	return string(b)
}

// quoted reads a single- or double-quoted scalar, folding its lines and
// reading its escapes as go-yaml does. Lines that continue it must be
// indented past n; n < 0: it must be on one line.
func (p *yamlParser) quoted(n int) string {
	s := p.src
	q := s[p.pos]
	p.pos++
	start := p.pos
	// Most scalars have no escapes and are on one line.
	for i := start; i < len(s); i++ {
		c := s[i]
		if c == q {
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				break
			}
			p.pos = i + 1
			return s[start:i]
		}
		if c == '\n' || c == '\\' && q == '"' {
			break
		}
	}
	b := p.buf[:0]
	defer func() { p.buf = b }()
	for {
		if p.pos >= len(s) {
			p.refuse()
		}
		leadingBlanks := false
		for p.pos < len(s) && !p.blankz(p.pos) {
			c := s[p.pos]
			if q == '\'' && c == '\'' {
				if p.pos+1 < len(s) && s[p.pos+1] == '\'' {
					b = append(b, '\'')
					p.pos += 2
					continue
				}
				break
			}
			if q == '"' && c == '"' {
				break
			}
			if q == '"' && c == '\\' {
				if p.pos+1 < len(s) && s[p.pos+1] == '\n' {
					p.pos++
					p.quotedBreak(n)
					leadingBlanks = true
					break
				}
				b = p.escape(b)
				continue
			}
			b = append(b, c)
			p.pos++
		}
		if p.pos >= len(s) {
			p.refuse()
		}
		if s[p.pos] == q {
			p.pos++
			return string(b)
		}
		// Blanks and line breaks.
		wsStart, wsEnd := p.pos, p.pos
		leadingBreak, trailing := false, 0
		sawTab, sawBreak := false, leadingBlanks
		for p.pos < len(s) && (s[p.pos] == ' ' || s[p.pos] == '\t' || s[p.pos] == '\n') {
			switch s[p.pos] {
			case '\t':
				sawTab = true
				fallthrough
			case ' ':
				p.pos++
				if !leadingBlanks {
					wsEnd = p.pos
				}
			case '\n':
				sawBreak = true
				if !leadingBlanks {
					leadingBreak, leadingBlanks = true, true
				} else {
					trailing++
				}
				p.quotedBreak(n)
			}
		}
		if sawTab && sawBreak {
			p.refuse()
		}
		if sawBreak && p.pos < len(s) && p.column(p.pos) <= n {
			p.refuse()
		}
		switch {
		case !leadingBlanks:
			b = append(b, s[wsStart:wsEnd]...)
		case leadingBreak && trailing == 0:
			b = append(b, ' ')
		default:
			for range trailing {
				b = append(b, '\n')
			}
		}
	}
}

// quotedBreak moves past a line break inside a quoted scalar.
func (p *yamlParser) quotedBreak(n int) {
	if n < 0 {
		p.refuse()
	}
	p.pos++
	p.newline(p.pos)
	if p.pos < len(p.src) && p.src[p.pos] != ' ' && p.src[p.pos] != '\n' {
		// Nothing but a continuation past n may start the line; a
		// document marker at its start would end the document.
		p.refuse()
	}
}

// escape reads an escape of a double-quoted scalar at p.pos.
func (p *yamlParser) escape(b []byte) []byte {
	s := p.src
	if p.pos+1 >= len(s) {
		p.refuse()
	}
	e := s[p.pos+1]
	p.pos += 2
	size := 0
	switch e {
	case '0':
		return append(b, 0)
	case 'a':
		return append(b, '\a')
	case 'b':
		return append(b, '\b')
	case 't', '\t':
		return append(b, '\t')
	case 'n':
		return append(b, '\n')
	case 'v':
		return append(b, '\v')
	case 'f':
		return append(b, '\f')
	case 'r':
		return append(b, '\r')
	case 'e':
		return append(b, 0x1B)
	case ' ', '"', '\'', '\\':
		return append(b, e)
	case 'N':
		return utf8.AppendRune(b, 0x85)
	case '_':
		return utf8.AppendRune(b, 0xA0)
	case 'L':
		return utf8.AppendRune(b, 0x2028)
	case 'P':
		return utf8.AppendRune(b, 0x2029)
	case 'x':
		size = 2
	case 'u':
		size = 4
	case 'U':
		size = 8
	default:
		p.refuse()
	}
	if p.pos+size > len(s) {
		p.refuse()
	}
	r, ok := hexRune(s[p.pos : p.pos+size])
	if !ok {
		p.refuse()
	}
	if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
		p.refuse()
	}
	p.pos += size
	return utf8.AppendRune(b, r)
}

// blockScalar reads a literal or folded block scalar of a block
// collection at column n, as go-yaml reads it: the indentation is given
// or that of the first line with text, lines are folded (folded style)
// or kept, and the final line breaks chomped.
func (p *yamlParser) blockScalar(n int) string {
	s := p.src
	literal := s[p.pos] == '|'
	p.pos++
	chomp, inc := 0, 0
	for range 2 {
		if p.pos >= len(s) {
			break
		}
		switch c := s[p.pos]; {
		case (c == '+' || c == '-') && chomp == 0:
			chomp = 1
			if c == '-' {
				chomp = -1
			}
			p.pos++
		case c >= '1' && c <= '9' && inc == 0:
			inc = int(c - '0')
			p.pos++
		}
	}
	for p.pos < len(s) && s[p.pos] == ' ' {
		p.pos++
	}
	if p.pos < len(s) && s[p.pos] == '#' {
		p.toLineEnd()
	}
	if n < 0 || p.pos >= len(s) || s[p.pos] != '\n' {
		p.refuse()
	}
	p.pos++
	p.newline(p.pos)
	indent := -1
	if inc > 0 {
		indent = n + inc
	}
	trailing := 0
	firstSpaces := p.blockBreaks(n, &indent, &trailing)
	if p.pos >= len(s) || p.pos-p.lineStart != indent || firstSpaces != indent {
		p.refuse() // no text, or blank lines indented past the text
	}
	b := p.buf[:0]
	// Most block scalars in descriptions are literal ones of lines of
	// text without blank lines: those are copied line by line.
	leadingBreak, leadingBlank := false, false
	for p.pos < len(s) && p.pos-p.lineStart == indent {
		trailingBlank := s[p.pos] == ' ' || s[p.pos] == '\t'
		if !literal && leadingBreak && !leadingBlank && !trailingBlank {
			if trailing == 0 {
				b = append(b, ' ')
			}
		} else if leadingBreak {
			b = append(b, '\n')
		}
		leadingBreak = false
		for range trailing {
			b = append(b, '\n')
		}
		trailing = 0
		leadingBlank = trailingBlank
		end := strings.IndexByte(s[p.pos:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += p.pos
		}
		b = append(b, s[p.pos:end]...)
		p.pos = end
		if p.pos < len(s) {
			leadingBreak = true
			p.pos++
			p.newline(p.pos)
		}
		p.blockBreaks(n, &indent, &trailing)
	}
	if chomp != -1 && leadingBreak {
		b = append(b, '\n')
	}
	if chomp == 1 {
		for range trailing {
			b = append(b, '\n')
		}
	}
	p.buf = b
	return string(b)
}

// blockBreaks skips the indentation of a block scalar's lines, up to
// indent, and the empty lines, counting their breaks; indent < 0 is
// set from the lines (go-yaml's rule: the most spaces of the empty
// lines and the first line with text, at least n+1). It returns the
// spaces of the line it stops at.
func (p *yamlParser) blockBreaks(n int, indent, trailing *int) int {
	s := p.src
	maxSpaces := 0
	for {
		for p.pos < len(s) && s[p.pos] == ' ' && (*indent < 0 || p.pos-p.lineStart < *indent) {
			p.pos++
		}
		spaces := p.pos - p.lineStart
		maxSpaces = max(maxSpaces, spaces)
		if p.pos < len(s) && s[p.pos] == '\t' && (*indent < 0 || spaces < *indent) {
			p.refuse()
		}
		if p.pos >= len(s) || s[p.pos] != '\n' {
			if *indent < 0 {
				*indent = max(maxSpaces, n+1)
			}
			return spaces
		}
		*trailing++
		p.pos++
		p.newline(p.pos)
	}
}

// flow reads a flow sequence or mapping in a block collection at column
// n. Entries are scalars, aliases and flow collections; a mapping's keys
// are scalars with values; lines that continue it are indented past n.
func (p *yamlParser) flow(n, depth int) node {
	if depth > maxYAMLDepth {
		p.refuse()
	}
	s := p.src
	open := s[p.pos]
	kind, close := sequenceKind, byte(']')
	if open == '{' {
		kind, close = mappingKind, '}'
	}
	f := newNode(kind, p.line, p.column(p.pos)+1)
	p.pos++
	base := len(p.stack)
	for {
		p.flowSpace(n)
		if p.pos >= len(s) {
			p.refuse()
		}
		if s[p.pos] == close {
			p.pos++
			break
		}
		if kind == mappingKind {
			line, col := p.line, p.column(p.pos)
			var k string
			switch s[p.pos] {
			case '"', '\'':
				k = p.quoted(-1)
			default:
				if !p.plainStart(p.pos) {
					p.refuse()
				}
				k = p.plainLine(true)
			}
			p.stack = append(p.stack, p.scalar(line, col, k))
			p.flowSpace(n)
			// A key and its colon are on one line, or go-yaml sees no key.
			if p.pos >= len(s) || s[p.pos] != ':' || p.line != line {
				p.refuse()
			}
			p.pos++
			p.flowSpace(n)
		}
		p.stack = append(p.stack, p.flowValue(n, depth+1))
		p.flowSpace(n)
		if p.pos >= len(s) {
			p.refuse()
		}
		switch s[p.pos] {
		case ',':
			p.pos++
			continue
		case close:
			p.pos++
		default:
			p.refuse()
		}
		break
	}
	f.setContent(p.alloc.pop(&p.stack, base))
	return f
}

func (p *yamlParser) flowValue(n, depth int) node {
	if p.pos >= len(p.src) {
		p.refuse()
	}
	line, col := p.line, p.column(p.pos)
	switch c := p.src[p.pos]; c {
	case '[', '{':
		return p.flow(n, depth)
	case '"', '\'':
		return p.scalar(line, col, p.quoted(n))
	case '*':
		v := newNode(aliasKind, line, col+1)
		v.setValue(p.value(p.alias()))
		return v
	}
	if !p.plainStart(p.pos) {
		p.refuse()
	}
	v := p.plainLine(true)
	// A plain scalar that reaches the end of its line could go on on
	// the next one: only one followed by the end of its entry is read.
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t' || p.src[i] == '\n') {
		i++
	}
	if strings.IndexByte(p.src[p.pos:i], '\n') >= 0 && (i >= len(p.src) || p.src[i] != ',' && p.src[i] != ']' && p.src[i] != '}') {
		p.refuse()
	}
	return p.scalar(line, col, v)
}

// flowSpace skips spaces, line breaks and comments inside a flow
// collection; every line it reaches must be indented past n.
func (p *yamlParser) flowSpace(n int) {
	s := p.src
	for p.pos < len(s) {
		switch s[p.pos] {
		case ' ':
			p.pos++
		case '\n':
			p.pos++
			p.newline(p.pos)
			i := p.pos
			for i < len(s) && s[i] == ' ' {
				i++
			}
			if i < len(s) && s[i] != '\n' && i-p.lineStart <= n || n < 0 {
				p.refuse()
			}
		case '#':
			if p.pos > p.lineStart && s[p.pos-1] != ' ' {
				p.refuse()
			}
			p.toLineEnd()
		case '\t':
			p.refuse()
		default:
			return
		}
	}
}
