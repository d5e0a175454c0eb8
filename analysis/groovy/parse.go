package groovy

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Unread is a statement the parser gave up on. Load is set when only the
// clock stopped it (the machine was busy): the statement is parsed again
// next time. Otherwise it takes more steps than the budget allows, which
// is the same on any machine.
type Unread struct {
	Start, End int
	Load       bool
}

// Kind is the kind of a syntax node.
type Kind uint8

const (
	Other   Kind = iota
	Call         // name(args) { closure }, name args, recv.name(args)
	Closure      // { statements }
	String       // any string literal
	Number       // a number literal
	Bool         // true or false
	Null         // null
	Ident        // a bare name
	Dotted       // a.b.c, String.class
	List         // [a, b]
	Map          // [a: b]
	Block        // if/for/while/try/switch: Body holds the inner statements
	Decl         // a declaration or assignment
)

var kindNames = [...]string{"other", "call", "closure", "string", "number", "bool", "null", "ident", "dotted", "list", "map", "block", "decl"}

func (k Kind) String() string { return kindNames[k] }

// Node is a node of the simplified syntax tree. Offsets are byte offsets
// into the original source relative to the start of the top-level
// statement the node belongs to (File.Base): a statement an edit moved
// keeps its nodes, instead of a copy of them with every offset moved.
type Node struct {
	Start, End int
	Name       string // Call: the method name; Ident: the name; Decl: the declared name
	NameStart  int
	NameEnd    int
	Recv       *Node   // Call: the receiver of a method call, or nil
	Args       []*Node // Call: arguments, the closure excluded
	Closure    *Node   // Call: the closure argument, trailing or last
	Body       []*Node // Closure, Block: statements
	Value      string  // String: the decoded text; Number, Bool, Dotted: the source text
	Interp     bool    // String: contains ${...}
	Paren      bool    // Call: written with parentheses
	Opaque     bool    // Closure: a runtime body connls does not read
	// Kind is last, beside the flags: first, its padding made every
	// node 8 bytes bigger, and an edit copies every node after it.
	Kind Kind
}

// File is a parsed Groovy script.
type File struct {
	Body []*Node
	// Base holds, for each node of Body, the offset in the source its
	// offsets and those of every node under it are relative to.
	Base     []int
	Comments []Comment
	Errors   []SyntaxError
	Regions  []Region
	Chains   []int           // offsets of the missing comma in `name "a" "b"`
	Declared map[string]bool // names the script declares itself
	// Unread lists the statements the parser gave up on: they read as
	// nothing, and are not syntax errors (see Budget).
	Unread []Unread
	// TreeErrors counts the nodes tree-sitter could not read after the
	// prepass. They are not reported (the lexer decides what is a syntax
	// error); tests use the count to prove the prepass works.
	TreeErrors int
	// arena holds the nodes of a whole parse, for Release to hand back.
	arena *arena
}

// Release hands the memory of the file's nodes back for the next Parse
// to reuse. A caller that reads the tree and keeps nothing of it (no
// Node, no list of them) releases it when done: the nodes of a thousand
// scripts then take the same few pages instead of new ones for each,
// which the kernel must map and the collector scan. After Release the
// File must not be used.
func (f *File) Release() {
	a := f.arena
	if a == nil {
		return
	}
	*f = File{}
	// Cleared, so that the pool holds no pointers into freed trees, and
	// the next parse takes zeroed nodes.
	clear(a.nodes)
	clear(a.ptrs)
	if cap(a.nodes) > maxArena {
		return
	}
	a.nodes, a.ptrs = a.nodes[:0], a.ptrs[:0]
	arenas.Put(a)
}

// arena is where the converters of a whole parse take their slabs from.
type arena struct {
	nodes []Node
	ptrs  []*Node
}

var arenas = sync.Pool{New: func() any { return new(arena) }}

// maxArena bounds the arenas kept for reuse, in nodes (a 5,000-line
// script has some 40,000; the usual a few hundred).
const maxArena = 1 << 14

// take returns n zeroed nodes and n pointers; a nil arena allocates them.
func (a *arena) take(n int) ([]Node, []*Node) {
	if a == nil {
		return make([]Node, n), make([]*Node, n)
	}
	if cap(a.nodes)-len(a.nodes) < n || cap(a.ptrs)-len(a.ptrs) < n {
		// A new buffer: the nodes already taken stay in the old one,
		// which goes when they do.
		size := max(2*cap(a.nodes), n, 1024)
		a.nodes, a.ptrs = make([]Node, 0, size), make([]*Node, 0, size)
	}
	k := len(a.nodes)
	a.nodes, a.ptrs = a.nodes[:k+n], a.ptrs[:k+n]
	return a.nodes[k : k+n : k+n], a.ptrs[k : k+n : k+n]
}

var (
	symOnce    sync.Once
	symKinds   []symKind
	leafSyms   []uint8 // symbols flatten does not descend into
	fieldType  uint16
	fieldName  uint16
	fieldValue uint16
	parserMu   sync.Mutex
	parserBin  []*tsParser
)

type symKind uint8

const (
	sOther symKind = iota
	sSource
	sClosure
	sCall
	sJuxt
	sArgs
	sString
	sNumber
	sBool
	sNull
	sIdent
	sDotted
	sList
	sMap
	sMapItem
	sDecl
	sAssign
	sControl
	sError
	sSkip // imports, package, comments
)

func initSymbols() {
	symOnce.Do(func() {
		n := symbolCount()
		symKinds = make([]symKind, n)
		leafSyms = make([]uint8, n)
		for i := 0; i < n; i++ {
			k := sOther
			switch symbolName(i) {
			case "source_file":
				k = sSource
			case "closure":
				k = sClosure
			case "function_call":
				k = sCall
			case "juxt_function_call":
				k = sJuxt
			case "argument_list":
				k = sArgs
			case "string":
				k = sString
			case "number_literal":
				k = sNumber
			case "boolean_literal":
				k = sBool
			case "null":
				k = sNull
			case "identifier":
				k = sIdent
			case "dotted_identifier":
				k = sDotted
			case "list":
				k = sList
			case "map":
				k = sMap
			case "map_item":
				k = sMapItem
			case "declaration":
				k = sDecl
			case "assignment":
				k = sAssign
			case "if_statement", "for_loop", "for_in_loop", "while_loop", "do_while_loop",
				"try_statement", "switch_statement", "switch_block", "case":
				k = sControl
			case "ERROR":
				k = sError
			case "groovy_import", "groovy_package", "comment", "groovy_doc", "shebang":
				k = sSkip
			}
			symKinds[i] = k
			switch k {
			case sString, sNumber, sBool, sNull, sIdent, sMap:
				leafSyms[i] = 1 // not descended into
			case sDecl:
				leafSyms[i] = 2 // children's field names wanted
			}
		}
		fieldType, fieldName, fieldValue = fieldID("type"), fieldID("name"), fieldID("value")
	})
}

func getParser() *tsParser {
	initSymbols()
	parserMu.Lock()
	defer parserMu.Unlock()
	if n := len(parserBin); n > 0 {
		p := parserBin[n-1]
		parserBin = parserBin[:n-1]
		return p
	}
	return newTSParser()
}

func putParser(p *tsParser) {
	p.dropTree()
	// As for the prepass buffers: a rare huge script's flat tree, C
	// memory that the collector and the memory limit do not see, is not
	// kept for the next parse.
	p.dropFlatAbove(maxKeptFlat)
	parserMu.Lock()
	parserBin = append(parserBin, p)
	parserMu.Unlock()
}

// Parse parses a whole script. It is safe for concurrent use.
func Parse(src []byte) *File {
	p := getParser()
	defer putParser(p)
	// The tokens and the prepared text live only as long as the parse:
	// their slices stay with the parser for its next script.
	prep, toks := prepareWith(src, p.toks, p.text)
	cp := &chunkParser{p: p, src: src, prep: prep, whole: true, arena: arenas.Get().(*arena)}
	f := cp.run()
	f.arena = cp.arena
	if len(src) <= maxKeptBuffer {
		p.toks, p.text = toks[:0], prep.text[:0]
	}
	return f
}

// maxKeptBuffer bounds the scripts whose prepass buffers a parser keeps
// for the next: a rare huge script's are left to the collector.
const maxKeptBuffer = 1 << 20

// maxKeptFlat bounds the flat trees, in nodes, a parser keeps the buffer
// of: 65,536 nodes are the flat tree of some 6,000 lines.
const maxKeptFlat = 1 << 16

// Incremental parses successive versions of one document. Statements
// whose text did not change since the previous version are not parsed
// again, so an edit costs the statement it touches, not the file. It is
// not safe for concurrent use.
type Incremental struct {
	parser *tsParser
	cache  map[uint64][]*chunk
	big    map[uint64][]*bigStmt
	// prep is the prepass of the last version, src a copy of its text:
	// the next version's prepass lexes only around the edit.
	prep *prepared
	src  []byte
}

// Parse parses the next version of the document.
func (inc *Incremental) Parse(src []byte) *File {
	initSymbols()
	if inc.parser == nil {
		inc.parser = newTSParser()
	}
	prep := reprepare(inc.prep, inc.src, src)
	cp := &chunkParser{p: inc.parser, src: src, prep: prep, old: inc.cache, next: make(map[uint64][]*chunk, len(inc.cache)),
		oldBig: inc.big, nextBig: make(map[uint64][]*bigStmt, len(inc.big))}
	f := cp.run()
	inc.cache, inc.big = cp.next, cp.nextBig
	inc.prep, inc.src = prep, append(inc.src[:0], src...)
	return f
}

// Close releases the parser.
func (inc *Incremental) Close() {
	if inc.parser != nil {
		inc.parser.close()
		inc.parser = nil
	}
	inc.cache, inc.big = nil, nil
	inc.prep, inc.src = nil, nil
}

// bigStmt is a big statement (one parsed in pieces) as the last version
// read it, with offsets relative to its start: found again anywhere, with
// the same opaque closures, its nodes are handed back as they are, so
// that readers can tell it did not change.
type bigStmt struct {
	text   []byte
	nodes  []*Node
	errors int
	unread []Unread   // the statements in it the parser gave up on, relative to its start
	opaque []int      // its opaque closures, relative to its start
	chunks []chunkRef // the chunks it was made of, kept for the next version
}

type chunkRef struct {
	hash  uint64
	chunk *chunk
}

// chunkLimit is the size above which a statement's DSL closures are
// parsed apart from it, statement by statement.
const chunkLimit = 4096

// chunk is a parsed piece of text: nodes with offsets relative to its
// start, with the opaque closures of where it was first found marked,
// and the number of tree errors in it. A top-level statement is a chunk
// at offset 0 of its statement: found again with the same opaque
// closures, its nodes are handed back as they are. It also keeps its
// last placement inside a big statement, reused when found again at the
// same offset in its statement (before the edit, or in a statement the
// edit moved) instead of copied again.
type chunk struct {
	text         []byte
	nodes        []*Node
	opaque       []int // the opaque closures nodes are marked for, relative to the chunk
	errors       int
	placed       []*Node // placed at shift, for the opaque closures placedOpaque
	shift        int
	placedOpaque []int
	size         size // of nodes, for copying them
	gaveUp       bool // the parser ran out of its budget on this text
}

var chunkSeed = maphash.MakeSeed()

// lookup finds the chunk of a text in a cache.
func lookup(cache map[uint64][]*chunk, h uint64, text []byte) *chunk {
	for _, ch := range cache[h] {
		if bytes.Equal(ch.text, text) {
			return ch
		}
	}
	return nil
}

type chunkParser struct {
	p      *tsParser
	src    []byte
	prep   *prepared
	old    map[uint64][]*chunk // chunks of the previous version, by hash of their text
	next   map[uint64][]*chunk // chunks of this version
	file   *File
	opaque map[int]bool // offsets of opaque closures
	// whole parses top-level statements whole: without a cache to
	// reuse, splitting them only adds the cost of more parser runs.
	whole bool
	// oldBig and nextBig are the big statements of the previous and this
	// version; recording lists the big statements being built, which
	// note the chunks they are made of.
	oldBig, nextBig map[uint64][]*bigStmt
	recording       []*bigStmt
	outOfTime       int // statements given up on for lack of time
	// arena gives the nodes of a whole parse (nil: the heap).
	arena *arena
}

func (cp *chunkParser) run() *File {
	cp.file = &File{
		Comments: cp.prep.comments,
		Errors:   cp.prep.errs,
		Regions:  cp.prep.regions,
		Chains:   cp.prep.chains,
		Declared: cp.prep.declared,
	}
	cp.opaque = make(map[int]bool, len(cp.prep.regions))
	for _, r := range cp.prep.regions {
		cp.opaque[r.Start] = true
	}
	for _, st := range cp.prep.stmts {
		nodes := cp.statement(st, st.start)
		for range nodes {
			cp.file.Base = append(cp.file.Base, st.start)
		}
		cp.file.Body = append(cp.file.Body, nodes...)
	}
	return cp.file
}

// statements parses statements into nodes with offsets relative to base.
func (cp *chunkParser) statements(list []stmt, base int) []*Node {
	var out []*Node
	for _, st := range list {
		out = append(out, cp.statement(st, base)...)
	}
	return out
}

// statement parses one statement into nodes with offsets relative to
// base. A big one has its big DSL closures blanked for the parse and
// filled with their own statements after.
func (cp *chunkParser) statement(st stmt, base int) []*Node {
	text := cp.prep.text[st.start:st.end]
	if cp.whole || len(text) <= chunkLimit || !slices.ContainsFunc(st.closures, isBig) {
		return cp.parse(text, st.start, st.start-base, true)
	}
	nodes := cp.big(st, text)
	if st.start != base && len(nodes) > 0 {
		// A big statement inside another: rare, and only in the one the
		// edit is in (the others are reused whole).
		sh := cp.shifter(st.start, st.start-base, treeSize(nodes))
		nodes = sh.list(nodes)
	}
	return nodes
}

// bigClosures returns the closures of a statement big enough to be parsed
// apart from it. Their sizes do not change when the statement moves, so
// a moved statement need not be settled to know it is big.
func bigClosures(st stmt) []closureInfo {
	var big []closureInfo
	for _, c := range st.closures {
		if isBig(c) {
			big = append(big, c)
		}
	}
	return big
}

func isBig(c closureInfo) bool { return c.close-c.open > chunkLimit/4 }

// big parses a big statement, or reuses the previous version's reading
// of the same text wherever it was, into nodes relative to its start.
func (cp *chunkParser) big(st stmt, text []byte) []*Node {
	h := maphash.Bytes(chunkSeed, text)
	if cp.nextBig != nil {
		for _, b := range cp.oldBig[h] {
			if bytes.Equal(b.text, text) && cp.sameOpaque(st.start, st.end, b.opaque) {
				cp.file.TreeErrors += b.errors
				for _, u := range b.unread {
					cp.unread(st.start+u.Start, u.End-u.Start, false)
				}
				cp.nextBig[h] = append(cp.nextBig[h], b)
				for _, r := range b.chunks {
					cp.keep(r)
				}
				return b.nodes
			}
		}
	}
	st = st.settled()
	big := bigClosures(st)
	rec := &bigStmt{text: append([]byte(nil), text...), opaque: cp.opaqueIn(st.start, st.end)}
	errorsBefore, unreadBefore, outOfTimeBefore := cp.file.TreeErrors, len(cp.file.Unread), cp.outOfTime
	cp.recording = append(cp.recording, rec)
	blanked := append([]byte(nil), text...)
	for _, c := range big {
		blankComment(blanked[c.open+1-st.start : c.close-st.start])
	}
	nodes := cp.parse(blanked, st.start, 0, false)
	for _, c := range big {
		if cl := findClosure(nodes, c.open-st.start); cl != nil {
			cl.Body = cp.statements(c.body, st.start)
		}
	}
	cp.recording = cp.recording[:len(cp.recording)-1]
	rec.nodes, rec.errors = nodes, cp.file.TreeErrors-errorsBefore
	for _, u := range cp.file.Unread[unreadBefore:] {
		rec.unread = append(rec.unread, Unread{Start: u.Start - st.start, End: u.End - st.start, Load: u.Load})
	}
	if cp.nextBig != nil && cp.outOfTime == outOfTimeBefore {
		cp.nextBig[h] = append(cp.nextBig[h], rec)
	}
	return nodes
}

// blankComment replaces the body of a big closure with a block comment
// of the same length for the parse of the statement around it:
// tree-sitter reads a comment about four times faster than as many
// spaces and line breaks (55 against 200 µs for 6 KB), and the body's
// statements are parsed apart and put in its place.
func blankComment(b []byte) {
	fillSpaces(b)
	if n := len(b); n >= 4 {
		b[0], b[1], b[n-2], b[n-1] = '/', '*', '*', '/'
	}
}

// opaqueIn returns the opaque closures that start in [start, end), as
// offsets relative to start.
func (cp *chunkParser) opaqueIn(start, end int) []int {
	var out []int
	rs := cp.prep.regions
	for i := cp.firstRegion(start); i < len(rs) && rs[i].Start < end; i++ {
		out = append(out, rs[i].Start-start)
	}
	return out
}

// sameOpaque reports whether the opaque closures that start in
// [start, end) are rel, relative to start.
func (cp *chunkParser) sameOpaque(start, end int, rel []int) bool {
	rs := cp.prep.regions
	i := cp.firstRegion(start)
	for _, r := range rel {
		if i >= len(rs) || rs[i].Start-start != r {
			return false
		}
		i++
	}
	return i >= len(rs) || rs[i].Start >= end
}

// firstRegion returns the index of the first region that starts at or
// after off; regions are in the order of the text.
func (cp *chunkParser) firstRegion(off int) int {
	rs := cp.prep.regions
	return sort.Search(len(rs), func(i int) bool { return rs[i].Start >= off })
}

// unread records a statement the parser gave up on.
func (cp *chunkParser) unread(base, n int, load bool) {
	cp.file.Unread = append(cp.file.Unread, Unread{Start: base, End: base + n, Load: load})
}

// keep puts a chunk in this version's cache, and notes it in the big
// statements being built.
func (cp *chunkParser) keep(r chunkRef) {
	if cp.next == nil {
		return
	}
	if lookup(cp.next, r.hash, r.chunk.text) == nil {
		cp.next[r.hash] = append(cp.next[r.hash], r.chunk)
	}
	for _, b := range cp.recording {
		b.chunks = append(b.chunks, r)
	}
}

// parse parses a piece of prepared text found at offset at, or reuses
// the previous version's parse of the same text, into nodes with offsets
// moved by shift (relative to the start of the statement they are part
// of). leaf is false when the caller attaches statements into the
// returned nodes: those are always a copy.
func (cp *chunkParser) parse(text []byte, at, shift int, leaf bool) []*Node {
	h := maphash.Bytes(chunkSeed, text)
	ch := lookup(cp.next, h, text)
	fresh := ch != nil // already kept in this version
	if ch == nil {
		ch = lookup(cp.old, h, text)
	}
	if ch == nil {
		switch cp.p.parse(text) {
		case tooLong:
			// More steps than the budget on any machine: remembered, so
			// that the next version does not spend them again.
			ch = &chunk{text: append([]byte(nil), text...), gaveUp: true}
		case outOfTime:
			// Only load made the parser give up: never remembered, the
			// next version parses the statement again.
			cp.unread(at, len(text), true)
			cp.outOfTime++
			return nil
		}
	}
	if ch == nil {
		nodes := cp.p.flat(leafSyms)
		c := newConverter(cp.src[at:at+len(text)], nodes, &cp.p.names, cp.p.stack, cp.arena)
		ch = &chunk{}
		if cp.next != nil {
			// Kept for the next version to find (a whole parse keeps none).
			ch.text = append([]byte(nil), text...)
		}
		if len(nodes) > 0 {
			ch.nodes = c.statements(0)
		}
		cp.p.stack = c.stack[:0] // empty again, for the next conversion
		for i := range nodes {
			if nodes[i].symbol == errorSymbol || nodes[i].missing() {
				ch.errors++
			}
		}
		// Marked where it is first found, as the nodes are new.
		ch.opaque = cp.opaqueIn(at, at+len(text))
		if ch.opaque != nil {
			mark(ch.nodes, cp.opaque, at)
		}
	}
	if !fresh {
		cp.keep(chunkRef{h, ch})
	}
	if ch.gaveUp {
		// No tree: the statement reads as nothing. It is not a syntax
		// error (the lexer decides those): connls could not read it.
		cp.unread(at, len(text), false)
		return nil
	}
	cp.file.TreeErrors += ch.errors
	// Nodes handed out as they are are never changed after: only the
	// statements attached into a big statement's closures are (leaf false).
	end := at + len(text)
	if leaf && shift == 0 && cp.sameOpaque(at, end, ch.opaque) {
		return ch.nodes
	}
	if leaf && ch.placed != nil && ch.shift == shift && cp.sameOpaque(at, end, ch.placedOpaque) {
		return ch.placed
	}
	if ch.size.nodes == 0 && len(ch.nodes) > 0 {
		ch.size = treeSize(ch.nodes)
	}
	out := cp.shifter(at, shift, ch.size).list(ch.nodes)
	if leaf {
		ch.placed, ch.shift, ch.placedOpaque = out, shift, cp.opaqueIn(at, end)
	}
	return out
}

// mark marks the opaque closures of nodes found at offset at.
func mark(nodes []*Node, opaque map[int]bool, at int) {
	for _, n := range nodes {
		markNode(n, opaque, at)
	}
}

func markNode(n *Node, opaque map[int]bool, at int) {
	if n == nil {
		return
	}
	if n.Kind == Closure && opaque[at+n.Start] {
		n.Opaque, n.Body = true, nil
	}
	markNode(n.Recv, opaque, at)
	markNode(n.Closure, opaque, at)
	mark(n.Args, opaque, at)
	mark(n.Body, opaque, at)
}

// shifter returns a shifter for trees of the given size found at offset at.
func (cp *chunkParser) shifter(at, shift int, sz size) *shifter {
	return &shifter{opaque: cp.opaque, at: at, shift: shift, nodes: make([]Node, sz.nodes), ptrs: make([]*Node, sz.ptrs)}
}

// shifter copies node trees found at offset at with offsets moved by
// shift, marking their opaque closures (whose offsets are only known in
// the whole file) anew. The copies come out of two slabs sized for the
// trees: a few allocations per chunk instead of one per node.
type shifter struct {
	opaque    map[int]bool
	at, shift int
	nodes     []Node
	ptrs      []*Node
}

func (sh *shifter) node(n *Node) *Node {
	if n == nil {
		return nil
	}
	c := &sh.nodes[0]
	sh.nodes = sh.nodes[1:]
	*c = *n
	c.Start += sh.shift
	c.End += sh.shift
	if n.NameEnd > 0 { // unnamed nodes keep 0-0, as a full parse gives them
		c.NameStart += sh.shift
		c.NameEnd += sh.shift
	}
	c.Recv = sh.node(n.Recv)
	c.Closure = sh.node(n.Closure)
	c.Args = sh.list(n.Args)
	c.Body = sh.list(n.Body)
	if c.Kind == Closure {
		// A closure opaque where the nodes were first found has no body:
		// its text was blanked, and the same text has none anywhere.
		c.Opaque = sh.opaque[sh.at+n.Start]
		if c.Opaque {
			c.Body = nil
		}
	}
	return c
}

func (sh *shifter) list(l []*Node) []*Node {
	if l == nil {
		return nil
	}
	out := sh.ptrs[:len(l):len(l)]
	sh.ptrs = sh.ptrs[len(l):]
	for i, n := range l {
		out[i] = sh.node(n)
	}
	return out
}

// size counts the nodes of trees and the pointers of their lists.
type size struct{ nodes, ptrs int }

func treeSize(l []*Node) size {
	s := size{ptrs: len(l)}
	for _, n := range l {
		if n == nil {
			continue
		}
		s.nodes++
		for _, sub := range [][]*Node{n.Args, n.Body} {
			t := treeSize(sub)
			s.nodes, s.ptrs = s.nodes+t.nodes, s.ptrs+t.ptrs
		}
		for _, one := range []*Node{n.Recv, n.Closure} {
			if one != nil {
				t := treeSize([]*Node{one})
				s.nodes, s.ptrs = s.nodes+t.nodes, s.ptrs+t.ptrs-1
			}
		}
	}
	return s
}

// findClosure finds the closure node that starts at offset open.
func findClosure(nodes []*Node, open int) *Node {
	for _, n := range nodes {
		if n == nil || open < n.Start || open >= n.End {
			continue
		}
		if n.Kind == Closure && n.Start == open {
			return n
		}
		for _, list := range [][]*Node{{n.Recv, n.Closure}, n.Args, n.Body} {
			if c := findClosure(list, open); c != nil {
				return c
			}
		}
	}
	return nil
}

// converter turns flat nodes into Nodes with offsets relative to src.
// Nodes come out of a slab sized for the tree, and lists are gathered on
// a scratch stack and copied into a slab of pointers at their final
// length: a few allocations per statement instead of one per node and
// one per growth of each list.
type converter struct {
	src   []byte
	nodes []flatNode
	slab  []Node
	ptrs  []*Node
	stack []*Node // lists being gathered, innermost last
	names *interner
}

func newConverter(src []byte, nodes []flatNode, names *interner, stack []*Node, a *arena) *converter {
	// Every Node comes from a flat node that is named and is not an
	// argument list, a skipped node or the source file (a declaration
	// read as a call makes two Nodes of three such flat nodes), so their
	// count bounds the Nodes; lists hold at most as many pointers.
	// The name of a call is no Node either.
	n := 0
	for i := range nodes {
		if !nodes[i].named() {
			continue
		}
		switch symKindOf(nodes[i].symbol) {
		case sArgs, sSkip, sSource:
		case sCall, sJuxt:
			n++
			for ch := i + 1; ch < int(nodes[i].after); ch = int(nodes[ch].after) {
				if k := symKindOf(nodes[ch].symbol); k == sIdent {
					n--
					break
				} else if nodes[ch].named() && k != sError {
					break
				}
			}
		default:
			n++
		}
	}
	slab, ptrs := a.take(n)
	return &converter{src: src, nodes: nodes, slab: slab, ptrs: ptrs, names: names, stack: stack[:0]}
}

// node returns a new Node set to v.
func (c *converter) node(v Node) *Node {
	if len(c.slab) == 0 {
		// Beyond the bound: cannot happen, but costs nothing. (Not &v,
		// which would move every v to the heap.)
		n := new(Node)
		*n = v
		return n
	}
	n := &c.slab[0]
	c.slab = c.slab[1:]
	*n = v
	return n
}

// mark starts a list on the stack; list ends it.
func (c *converter) mark() int { return len(c.stack) }

func (c *converter) push(n *Node) { c.stack = append(c.stack, n) }

// list returns the nodes pushed since m as a list (nil when none), and
// pops them.
func (c *converter) list(m int) []*Node {
	k := len(c.stack) - m
	if k == 0 {
		return nil
	}
	var out []*Node
	if k <= len(c.ptrs) {
		out = c.ptrs[:k:k]
		c.ptrs = c.ptrs[k:]
	} else {
		out = make([]*Node, k)
	}
	copy(out, c.stack[m:])
	clear(c.stack[m:])
	c.stack = c.stack[:m]
	return out
}

func symKindOf(sym uint16) symKind {
	s := int(sym)
	if s == errorSymbol {
		return sError
	}
	if s < len(symKinds) {
		return symKinds[s]
	}
	return sOther
}

func (c *converter) kind(i int) symKind { return symKindOf(c.nodes[i].symbol) }

// first and next walk the children of a node: for ch := c.first(i);
// ch < c.end(i); ch = c.next(ch).
func (c *converter) first(i int) int { return i + 1 }
func (c *converter) next(i int) int  { return int(c.nodes[i].after) }
func (c *converter) end(i int) int   { return int(c.nodes[i].after) }

func (c *converter) span(i int) (int, int) { return int(c.nodes[i].start), int(c.nodes[i].end) }

func (c *converter) text(i int) string {
	s, e := c.span(i)
	return c.names.str(c.src[s:e])
}

// statements converts the statements of a source file, closure or error
// node. A closure that follows a parenthesised call belongs to it: the
// grammar makes `name(args) { ... }` two siblings.
func (c *converter) statements(i int) []*Node {
	m := c.mark()
	c.pushStatements(i, m)
	return c.list(m)
}

// pushStatements pushes the statements of node i onto the list started
// at m.
func (c *converter) pushStatements(i, m int) {
	for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
		k := c.kind(ch)
		switch k {
		case sSkip:
			continue
		case sError:
			// Its statements join the list, but a closure at its start
			// does not join a call before it.
			c.pushStatements(ch, len(c.stack))
			continue
		case sClosure:
			if top := len(c.stack); top > m && c.stack[top-1].Kind == Call && c.stack[top-1].Closure == nil && c.stack[top-1].Paren {
				prev := c.stack[top-1]
				prev.Closure = c.closure(ch)
				prev.End = int(c.nodes[ch].end)
				continue
			}
		}
		if !c.nodes[ch].named() || c.nodes[ch].missing() {
			continue
		}
		if s := c.statement(ch, k); s != nil {
			c.push(s)
		}
	}
}

func (c *converter) statement(i int, k symKind) *Node {
	switch k {
	case sControl:
		s, e := c.span(i)
		b := c.node(Node{Kind: Block, Start: s, End: e})
		c.collectBlocks(i, b)
		return b
	case sDecl:
		return c.declaration(i)
	}
	return c.expr(i, k)
}

// collectBlocks gathers the statements inside the blocks of a control
// statement; DSL calls inside an if or a loop still configure the
// enclosing builder.
func (c *converter) collectBlocks(i int, b *Node) {
	for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
		switch c.kind(ch) {
		case sClosure:
			b.Body = append(b.Body, c.statements(ch)...)
		case sControl:
			c.collectBlocks(ch, b)
		}
	}
}

func (c *converter) declaration(i int) *Node {
	typ, name, value := -1, -1, -1
	for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
		switch c.nodes[ch].field {
		case fieldType:
			typ = ch
		case fieldName:
			name = ch
		case fieldValue:
			value = ch
		}
	}
	// `role SUBJECT` reads as a declaration of variable SUBJECT of type
	// role; a lower-case "type" with no value is really a command call.
	if typ >= 0 && name >= 0 && value < 0 && c.kind(typ) == sIdent && c.kind(name) == sIdent {
		t := c.text(typ)
		if t != "def" && t != "var" && t[0] >= 'a' && t[0] <= 'z' && !methodModifiers[t] {
			ns, ne := c.span(name)
			ts, te := c.span(typ)
			s, e := c.span(i)
			m := c.mark()
			c.push(c.node(Node{Kind: Ident, Start: ns, End: ne, Name: c.text(name), NameStart: ns, NameEnd: ne}))
			return c.node(Node{Kind: Call, Start: s, End: e, Name: t, NameStart: ts, NameEnd: te, Args: c.list(m)})
		}
	}
	s, e := c.span(i)
	d := c.node(Node{Kind: Decl, Start: s, End: e})
	if name >= 0 {
		d.Name = c.text(name)
		d.NameStart, d.NameEnd = c.span(name)
	}
	if value >= 0 {
		m := c.mark()
		c.push(c.expr(value, c.kind(value)))
		d.Args = c.list(m)
	}
	return d
}

func (c *converter) expr(i int, k symKind) *Node {
	start, end := c.span(i)
	switch k {
	case sCall, sJuxt:
		return c.call(i, k == sCall)
	case sClosure:
		return c.closure(i)
	case sString:
		s := c.node(Node{Kind: String, Start: start, End: end})
		s.Value, s.Interp = decodeString(c.names.str(c.src[start:end]))
		return s
	case sNumber:
		return c.node(Node{Kind: Number, Start: start, End: end, Value: c.text(i)})
	case sBool:
		return c.node(Node{Kind: Bool, Start: start, End: end, Value: c.text(i)})
	case sNull:
		return c.node(Node{Kind: Null, Start: start, End: end})
	case sIdent:
		name := c.text(i)
		switch name {
		case "true", "false":
			return c.node(Node{Kind: Bool, Start: start, End: end, Value: name})
		case "null":
			return c.node(Node{Kind: Null, Start: start, End: end})
		}
		return c.node(Node{Kind: Ident, Start: start, End: end, Name: name, NameStart: start, NameEnd: end})
	case sDotted:
		return c.node(Node{Kind: Dotted, Start: start, End: end, Value: c.text(i)})
	case sList:
		l := c.node(Node{Kind: List, Start: start, End: end})
		m := c.mark()
		for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
			if c.nodes[ch].named() {
				c.push(c.expr(ch, c.kind(ch)))
			}
		}
		l.Args = c.list(m)
		return l
	case sMap:
		return c.node(Node{Kind: Map, Start: start, End: end})
	case sAssign:
		d := c.node(Node{Kind: Decl, Start: start, End: end})
		for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
			if c.nodes[ch].named() {
				d.Name = c.text(ch)
				break
			}
		}
		return d
	}
	return c.node(Node{Kind: Other, Start: start, End: end, Value: c.text(i)})
}

func (c *converter) closure(i int) *Node {
	s, e := c.span(i)
	cl := c.node(Node{Kind: Closure, Start: s, End: e})
	cl.Body = c.statements(i)
	return cl
}

// call converts function_call and juxt_function_call nodes.
func (c *converter) call(i int, paren bool) *Node {
	s, e := c.span(i)
	call := c.node(Node{Kind: Call, Start: s, End: e, Paren: paren})
	m := c.mark()
	for ch := c.first(i); ch < c.end(i); ch = c.next(ch) {
		k := c.kind(ch)
		switch {
		case k == sArgs:
			c.arguments(ch, call)
		case k == sIdent && call.Name == "" && call.Recv == nil:
			call.Name = c.text(ch)
			call.NameStart, call.NameEnd = c.span(ch)
		case k == sDotted && call.Name == "" && call.Recv == nil:
			c.receiver(ch, call)
		case c.nodes[ch].named() && k != sError && call.Name == "" && call.Recv == nil:
			// A call on some other expression: keep it as the receiver.
			call.Recv = c.expr(ch, k)
		}
	}
	call.Args = c.list(m)
	return call
}

// receiver splits `recv.name` of a method call into receiver and name.
func (c *converter) receiver(d int, call *Node) {
	last := -1
	for ch := c.first(d); ch < c.end(d); ch = c.next(ch) {
		if c.nodes[ch].named() {
			last = ch
		}
	}
	if last < 0 {
		return
	}
	call.Name = c.text(last)
	call.NameStart, call.NameEnd = c.span(last)
	recvEnd := call.NameStart
	recv := -1
	for ch := c.first(d); ch < c.end(d); ch = c.next(ch) {
		if c.nodes[ch].named() && int(c.nodes[ch].end) <= recvEnd {
			if recv < 0 {
				recv = ch
			} else {
				recv = -2 // a.b.c: keep the text
				break
			}
		}
	}
	if recv >= 0 {
		call.Recv = c.expr(recv, c.kind(recv))
		return
	}
	start := int(c.nodes[d].start)
	text := strings.TrimRight(string(c.src[start:recvEnd]), ".?*& \t\n")
	call.Recv = c.node(Node{Kind: Dotted, Start: start, End: start + len(text), Value: text})
}

// arguments pushes the arguments of a call onto the list the call
// started, and sets its closure.
func (c *converter) arguments(a int, call *Node) {
	for ch := c.first(a); ch < c.end(a); ch = c.next(ch) {
		if !c.nodes[ch].named() {
			continue
		}
		k := c.kind(ch)
		switch k {
		case sClosure:
			call.Closure = c.closure(ch)
			continue
		case sMapItem:
			s, e := c.span(ch)
			c.push(c.node(Node{Kind: Map, Start: s, End: e, Value: c.text(ch)}))
			continue
		case sError:
			continue
		}
		c.push(c.expr(ch, k))
	}
}

// interner hands out one string for equal texts: the names and strings
// of a DSL script repeat (attribute, jsonType, "string"), and a parser
// reads script after script. It is a small table indexed by a hash of
// a few bytes, not a map: hashing whole keys cost more than the
// allocations it saved.
type interner struct{ slots [1024]string }

func (in *interner) str(b []byte) string {
	n := len(b)
	if in == nil || n == 0 || n > 64 {
		return string(b)
	}
	h := (uint(n)*131 + uint(b[0])*31 + uint(b[n/2])*7 + uint(b[n-1])) % uint(len(in.slots))
	if s := in.slots[h]; s == string(b) {
		return s
	}
	s := string(b)
	in.slots[h] = s
	return s
}

// decodeString returns the text of a string literal and whether it
// interpolates values.
func decodeString(s string) (string, bool) {
	var body string
	escapes := true
	switch {
	case strings.HasPrefix(s, `"""`) || strings.HasPrefix(s, `'''`):
		body = strings.TrimSuffix(s[3:], s[:3])
	case strings.HasPrefix(s, `$/`):
		body, escapes = strings.TrimSuffix(s[2:], "/$"), false
	case strings.HasPrefix(s, "/"):
		body, escapes = strings.TrimSuffix(s[1:], "/"), false
	case len(s) >= 2 && (s[0] == '"' || s[0] == '\''):
		body = strings.TrimSuffix(s[1:], s[:1])
	default:
		body = s
	}
	interp := s[0] != '\'' && strings.Contains(body, "${")
	if !interp && s[0] != '\'' && strings.Contains(body, "$") {
		// $name interpolates too.
		for i := 0; i+1 < len(body); i++ {
			if body[i] == '$' && (i == 0 || body[i-1] != '\\') && isIdentStart([]byte(body), i+1) {
				interp = true
				break
			}
		}
	}
	if !escapes || !strings.Contains(body, `\`) {
		return body, interp
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		ch := body[i]
		if ch != '\\' || i+1 >= len(body) {
			b.WriteByte(ch)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if i+4 < len(body) {
				if r, err := strconv.ParseUint(body[i+1:i+5], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 4
					continue
				}
			}
			b.WriteString(`\u`)
		case '\n':
			// line continuation
		default:
			b.WriteByte(body[i])
		}
	}
	return b.String(), interp
}
