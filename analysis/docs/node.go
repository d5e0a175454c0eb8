package docs

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	yaml "github.com/pb33f/go-yaml"
)

// node is a JSON or YAML value as the structured readers see it: its
// kind, where it starts, its text (scalars and aliases) or its children
// (collections; a mapping holds keys and values alternately). It keeps
// nothing else of the document, no comments, styles or tags: the readers
// never look at them.
//
// A node is 24 bytes, and a collection's children are stored one after
// the other, not as pointers: a yaml.Node is 160 bytes, and with 48-byte
// nodes and a list of child pointers the tree of a 10 MB description was
// still half of the memory live while connls read it. Since a scalar has
// no children and a collection no text, one pointer serves both.
type node struct {
	ptr  unsafe.Pointer // a scalar's text or a collection's first child
	n    uint32         // the text's length or the number of children
	Line int32          // one-based
	Kind nodeKind
	col  [3]uint8 // one-based, in characters; see column
}

// Value returns a scalar's or an alias's text; a collection has none.
func (n *node) Value() string {
	if n.Kind == mappingKind || n.Kind == sequenceKind || n.ptr == nil {
		return ""
	}
	return unsafe.String((*byte)(n.ptr), n.n)
}

// Content returns a collection's children. They are the tree's own
// nodes: a pointer to one of them (&n.Content()[i]) is the node itself.
// A scalar has none.
func (n *node) Content() []node {
	if n.Kind != mappingKind && n.Kind != sequenceKind || n.ptr == nil {
		return nil
	}
	return unsafe.Slice((*node)(n.ptr), n.n)
}

// kid returns a collection's i-th child.
func (n *node) kid(i int) *node {
	return &n.Content()[i]
}

func (n *node) setValue(s string) {
	if n.Kind == mappingKind || n.Kind == sequenceKind {
		panic("docs: setValue on a collection")
	}
	n.ptr, n.n = unsafe.Pointer(unsafe.StringData(s)), uint32(len(s))
	if len(s) == 0 {
		n.ptr = nil
	}
}

// setContent makes c the node's children; the node points into c, so c
// must not be changed after, except through the node.
func (n *node) setContent(c []node) {
	if n.Kind != mappingKind && n.Kind != sequenceKind {
		panic("docs: setContent on a scalar")
	}
	n.ptr, n.n = unsafe.Pointer(unsafe.SliceData(c)), uint32(len(c))
	if len(c) == 0 {
		n.ptr = nil
	}
}

// add appends copies of kids to a collection's children. A node added is
// copied: change it through the parent afterwards, not through kids. The
// whole list is copied each time, so a list is built elsewhere and added
// at once, not one child at a time (see fields).
func (n *node) add(kids ...*node) {
	c := slices.Grow(slices.Clip(n.Content()), len(kids))
	for _, k := range kids {
		c = append(c, *k)
	}
	n.setContent(c)
}

// column returns the node's column, which is kept in 24 bits: a column
// past 16,777,215 (a minified document of more than 16 MB) reads as that.
func (n *node) column() int {
	return int(n.col[0]) | int(n.col[1])<<8 | int(n.col[2])<<16
}

func (n *node) setColumn(c int) {
	c = min(c, 1<<24-1)
	n.col = [3]uint8{uint8(c), uint8(c >> 8), uint8(c >> 16)}
}

type nodeKind uint8

const (
	scalarKind nodeKind = iota + 1
	mappingKind
	sequenceKind
	aliasKind // a YAML alias (*name), which the readers do not follow
)

// newNode returns a childless node.
func newNode(kind nodeKind, line, col int) node {
	n := node{Kind: kind, Line: int32(line)}
	n.setColumn(col)
	return n
}

// nodeAlloc stores children lists in slabs: a tree is allocated in a few
// hundred large blocks instead of one object per collection.
type nodeAlloc struct {
	nodes []node
}

// children copies a collection's children into a slab and returns the
// copy, whose capacity is its length, so that adding to one node's
// children never overwrites another's.
func (a *nodeAlloc) children(c []node) []node {
	if len(c) == 0 {
		return nil
	}
	if cap(a.nodes)-len(a.nodes) < len(c) {
		if len(c) > 256 {
			return slices.Clone(c)
		}
		a.nodes = make([]node, 0, 2048)
	}
	start := len(a.nodes)
	a.nodes = append(a.nodes, c...)
	return a.nodes[start:len(a.nodes):len(a.nodes)]
}

// pop moves the children of the collection being read, the top of
// stack from base, into a slab, and returns them.
func (a *nodeAlloc) pop(stack *[]node, base int) []node {
	c := a.children((*stack)[base:])
	clear((*stack)[base:]) // the stack's spare room keeps no tree alive
	*stack = (*stack)[:base]
	return c
}

// root returns the top node of a tree, on the heap.
func rootOf(n node) *node { return &n }

// parseJSON reads a JSON document into a node tree. It accepts exactly
// what encoding/json accepts; on an error the problem is encoding/json's,
// whose messages and positions the reader has always given.
//
// Scalars that need no unescaping are the text itself, seen as a string
// without a copy, so the tree allocates little but its nodes. That is
// safe because the text does not change while it is read and no string
// of the tree outlives the read: the readers detach what their Doc keeps.
func parseJSON(text []byte) (*node, *Problem) {
	p := jsonParser{lineCursor: lineCursor{src: unsafe.String(unsafe.SliceData(text), len(text)), line: 1}}
	p.space()
	root := p.value(0)
	p.space()
	if p.err || p.pos != len(p.src) {
		var v any
		if err := json.Unmarshal(text, &v); err != nil {
			return nil, jsonProblem(text, err)
		}
		// Not expected: this parser refused what encoding/json accepts.
		line, col := p.position()
		return nil, &Problem{Line: line, Column: col, Message: "invalid JSON: cannot read the document here"}
	}
	return rootOf(root), nil
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

type jsonParser struct {
	lineCursor
	pos   int
	err   bool
	alloc nodeAlloc
	stack []node // children of the collections being read
	buf   []byte // scratch space for unescaping
}

// position returns the line and column of p.pos.
func (p *jsonParser) position() (int, int) {
	return p.line, p.chars(p.pos) + 1
}

// lineCursor follows the line of a text being read, for the JSON and
// YAML parsers: its number, where it starts, and how many characters
// precede an offset on it. Those are counted lazily and from the last
// count on, since most nodes are on lines of their own and a minified
// document is one long line.
type lineCursor struct {
	src        string
	line       int // one-based
	lineStart  int // offset of the first byte of the line
	col, colAt int // col characters precede lineStart+colAt
}

// chars returns how many characters of the line precede offset i.
func (c *lineCursor) chars(i int) int {
	off := i - c.lineStart
	if off < c.colAt {
		c.col, c.colAt = 0, 0
	}
	c.col += runeCount(c.src[c.lineStart+c.colAt : i])
	c.colAt = off
	return c.col
}

// newline moves to the next line, which starts at offset next.
func (c *lineCursor) newline(next int) {
	c.line++
	c.lineStart, c.col, c.colAt = next, 0, 0
}

// runeCount counts characters as YAML does: every byte that does not
// continue a UTF-8 sequence starts one.
func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 || s[i] >= 0xC0 {
			n++
		}
	}
	return n
}

// space skips whitespace. A CR LF pair is one line break; a lone CR is
// one too, as YAML and editors count lines.
func (p *jsonParser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t':
			p.pos++
		case '\n':
			p.pos++
			p.newline(p.pos)
		case '\r':
			p.pos++
			if p.pos < len(p.src) && p.src[p.pos] == '\n' {
				p.pos++
			}
			p.newline(p.pos)
		default:
			return
		}
	}
}

func (p *jsonParser) fail() node {
	p.err = true
	return node{}
}

func (p *jsonParser) value(depth int) node {
	if p.pos >= len(p.src) {
		return p.fail()
	}
	line, col := p.position()
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		if depth >= maxJSONDepth {
			return p.fail()
		}
		return p.collection(c, line, col, depth)
	case c == '"':
		n := newNode(scalarKind, line, col)
		n.setValue(p.str())
		return n
	case c == 't', c == 'f', c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if strings.HasPrefix(p.src[p.pos:], w) {
				n := newNode(scalarKind, line, col)
				n.setValue(w)
				p.pos += len(w)
				return n
			}
		}
		return p.fail()
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		if !p.number() {
			return p.fail()
		}
		n := newNode(scalarKind, line, col)
		n.setValue(p.src[start:p.pos])
		return n
	}
	return p.fail()
}

func (p *jsonParser) collection(open byte, line, col, depth int) node {
	kind, close := mappingKind, byte('}')
	if open == '[' {
		kind, close = sequenceKind, ']'
	}
	n := newNode(kind, line, col)
	p.pos++
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == close {
		p.pos++
		return n
	}
	base := len(p.stack)
	for {
		if kind == mappingKind {
			if p.pos >= len(p.src) || p.src[p.pos] != '"' {
				return p.fail()
			}
			p.stack = append(p.stack, p.value(depth+1))
			p.space()
			if p.err || p.pos >= len(p.src) || p.src[p.pos] != ':' {
				return p.fail()
			}
			p.pos++
			p.space()
		}
		v := p.value(depth + 1)
		if p.err {
			return node{}
		}
		p.stack = append(p.stack, v)
		p.space()
		if p.pos >= len(p.src) {
			return p.fail()
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.space()
			continue
		case close:
			p.pos++
			n.setContent(p.alloc.pop(&p.stack, base))
			return n
		}
		return p.fail()
	}
}

// str reads a string at p.pos (its opening quote) and returns its value.
func (p *jsonParser) str() string {
	p.pos++
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return p.src[start : p.pos-1]
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			p.fail()
			return ""
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.src[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return p.escaped(start)
			}
			p.pos += size
			continue
		}
		p.pos++
	}
	p.fail()
	return ""
}

// escaped finishes a string that has escapes or invalid UTF-8, from the
// first of them, the way encoding/json decodes it (a lone surrogate or an
// invalid byte becomes U+FFFD).
func (p *jsonParser) escaped(start int) string {
	b := append(p.buf[:0], p.src[start:p.pos]...)
	defer func() { p.buf = b }()
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b)
		case c < 0x20:
			p.fail()
			return ""
		case c >= utf8.RuneSelf:
			// Invalid UTF-8 reads as U+FFFD, as encoding/json reads it.
			r, size := utf8.DecodeRuneInString(p.src[p.pos:])
			b = utf8.AppendRune(b, r)
			p.pos += size
			continue
		case c != '\\':
			b = append(b, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.src) {
			break
		}
		e := p.src[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				p.fail()
				return ""
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if strings.HasPrefix(p.src[p.pos:], `\u`) {
					save := p.pos
					p.pos += 2
					if lo, ok := p.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						p.pos = save
					}
				}
				r = r2
			}
			b = utf8.AppendRune(b, r)
		default:
			p.fail()
			return ""
		}
	}
	p.fail()
	return ""
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.src) {
		return 0, false
	}
	r, ok := hexRune(p.src[p.pos : p.pos+4])
	if ok {
		p.pos += 4
	}
	return r, ok
}

// hexRune reads s, hexadecimal digits only, as a number.
func hexRune(s string) (rune, bool) {
	var r rune
	for _, c := range []byte(s) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() bool {
	s := p.src
	i := p.pos
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i+1 >= len(s) || s[i+1] < '0' || s[i+1] > '9' {
			return false
		}
		i = digits(s, i+1)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		i = digits(s, i)
	}
	p.pos = i
	return true
}

func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// parseYAML reads a YAML document into a node tree: parseYAMLFast
// reads the YAML of API descriptions in one pass; what it refuses
// (other YAML, malformed documents) goes through go-yaml, whose tree and
// problems it gives exactly.
func parseYAML(text []byte) (*node, error) {
	if root, ok := parseYAMLFast(text); ok {
		return root, nil
	}
	return parseGoYAML(text)
}

// parseGoYAML reads a YAML document with go-yaml, which builds its own
// tree first (there is no lighter way into its parser); the copy keeps
// only what the readers look at, and drops each part of go-yaml's tree
// once it is copied, so that the two trees are not both whole at once.
func parseGoYAML(text []byte) (*node, error) {
	y := new(yaml.Node)
	if err := yaml.Unmarshal(text, y); err != nil {
		return nil, err
	}
	if y.Kind == yaml.DocumentNode && len(y.Content) > 0 {
		y = y.Content[0]
	}
	if y.Kind == 0 {
		return nil, nil
	}
	return fromYAML(y), nil
}

// parseTree reads JSON or YAML into a node tree, as ParseTree does.
func parseTree(text []byte, isJSON bool) (*node, *Problem) {
	if isJSON {
		return parseJSON(text)
	}
	root, err := parseYAML(text)
	if err != nil {
		return nil, yamlProblem(err)
	}
	if root == nil {
		return nil, &Problem{Line: 1, Column: 1, Message: "the document is empty"}
	}
	return root, nil
}

// fromYAML copies a go-yaml tree (whose aliases are nodes of their own,
// not shared children), emptying it as it goes.
func fromYAML(y *yaml.Node) *node {
	var a nodeAlloc
	var stack []node
	var copyNode func(y *yaml.Node) node
	copyNode = func(y *yaml.Node) node {
		var kind nodeKind
		switch y.Kind {
		case yaml.ScalarNode:
			kind = scalarKind
		case yaml.MappingNode:
			kind = mappingKind
		case yaml.SequenceNode:
			kind = sequenceKind
		case yaml.AliasNode:
			kind = aliasKind
		}
		n := newNode(kind, y.Line, y.Column)
		switch kind {
		case mappingKind, sequenceKind:
			base := len(stack)
			for i, c := range y.Content {
				stack = append(stack, copyNode(c))
				y.Content[i] = nil
			}
			n.setContent(a.pop(&stack, base))
		default:
			n.setValue(y.Value)
		}
		return n
	}
	return rootOf(copyNode(y))
}
