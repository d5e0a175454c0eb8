package groovy

import (
	"context"
	"strconv"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	tsgroovy "github.com/smacker/go-tree-sitter/groovy"
)

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
// into the original source.
type Node struct {
	Kind       Kind
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
}

// File is a parsed Groovy script.
type File struct {
	Body     []*Node
	Comments []Comment
	Errors   []SyntaxError
	Regions  []Region
	Chains   []int           // offsets of the missing comma in `name "a" "b"`
	Declared map[string]bool // names the script declares itself
	// TreeErrors counts the nodes tree-sitter could not read after the
	// prepass. They are not reported (the lexer decides what is a syntax
	// error); tests use the count to prove the prepass works.
	TreeErrors int
}

var (
	language  = tsgroovy.GetLanguage()
	symKinds  []symKind
	symOnce   sync.Once
	parserMu  sync.Mutex
	parserBin []*sitter.Parser
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
	sInterp
	sSkip // imports, package, punctuation
)

func symbolTable() []symKind {
	symOnce.Do(func() {
		n := int(language.SymbolCount())
		symKinds = make([]symKind, n)
		for i := 0; i < n; i++ {
			k := sOther
			switch language.SymbolName(sitter.Symbol(i)) {
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
			case "interpolation":
				k = sInterp
			case "groovy_import", "groovy_package", "comment", "groovy_doc", "shebang":
				k = sSkip
			}
			symKinds[i] = k
		}
	})
	return symKinds
}

func getParser() *sitter.Parser {
	parserMu.Lock()
	defer parserMu.Unlock()
	if n := len(parserBin); n > 0 {
		p := parserBin[n-1]
		parserBin = parserBin[:n-1]
		return p
	}
	p := sitter.NewParser()
	p.SetLanguage(language)
	return p
}

func putParser(p *sitter.Parser) {
	parserMu.Lock()
	parserBin = append(parserBin, p)
	parserMu.Unlock()
}

// Parse parses a whole script. It is safe for concurrent use.
func Parse(src []byte) *File {
	p := getParser()
	defer putParser(p)
	f, tree, _ := parseWith(p, nil, nil, src)
	tree.Close()
	return f
}

// Incremental parses successive versions of one document, reusing the
// previous syntax tree for the parts that did not change.
type Incremental struct {
	parser *sitter.Parser
	tree   *sitter.Tree
	text   []byte // the prepared text the tree was built from
}

// Parse parses the next version of the document.
func (inc *Incremental) Parse(src []byte) *File {
	if inc.parser == nil {
		inc.parser = sitter.NewParser()
		inc.parser.SetLanguage(language)
	}
	f, tree, text := parseWith(inc.parser, inc.tree, inc.text, src)
	if inc.tree != nil {
		inc.tree.Close()
	}
	inc.tree, inc.text = tree, text
	return f
}

// Close releases the tree and parser.
func (inc *Incremental) Close() {
	if inc.tree != nil {
		inc.tree.Close()
		inc.tree = nil
	}
	if inc.parser != nil {
		inc.parser.Close()
		inc.parser = nil
	}
}

// parseWith prepares and parses src, reusing old (built from oldText)
// when given. It returns the tree and the prepared text it was built from.
func parseWith(p *sitter.Parser, old *sitter.Tree, oldText, src []byte) (*File, *sitter.Tree, []byte) {
	prep := prepare(src)
	if old != nil {
		old.Edit(editBetween(oldText, prep.text))
	}
	tree, err := p.ParseCtx(context.Background(), old, prep.text)
	if err != nil || tree == nil {
		tree, _ = p.ParseCtx(context.Background(), nil, prep.text)
	}
	f := &File{
		Comments: prep.comments,
		Errors:   prep.errs,
		Regions:  prep.regions,
		Chains:   prep.chains,
		Declared: prep.declared,
	}
	c := &converter{src: src, syms: symbolTable(), file: f, regions: prep.regions}
	root := tree.RootNode()
	f.Body = c.statements(root)
	f.TreeErrors = 0
	if root.HasError() {
		f.TreeErrors = countErrors(root)
	}
	return f, tree, prep.text
}

// editBetween describes the change from old to new as one edit: the
// common prefix and suffix are kept, the middle replaced.
func editBetween(old, new []byte) sitter.EditInput {
	pre := 0
	for pre < len(old) && pre < len(new) && old[pre] == new[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(new)-pre && old[len(old)-1-suf] == new[len(new)-1-suf] {
		suf++
	}
	return sitter.EditInput{
		StartIndex:  uint32(pre),
		OldEndIndex: uint32(len(old) - suf),
		NewEndIndex: uint32(len(new) - suf),
		StartPoint:  pointAt(old, pre),
		OldEndPoint: pointAt(old, len(old)-suf),
		NewEndPoint: pointAt(new, len(new)-suf),
	}
}

func pointAt(text []byte, offset int) sitter.Point {
	row, col := 0, 0
	for i := 0; i < offset; i++ {
		if text[i] == '\n' {
			row++
			col = 0
		} else {
			col++
		}
	}
	return sitter.Point{Row: uint32(row), Column: uint32(col)}
}

func countErrors(n *sitter.Node) int {
	count := 0
	if n.IsError() || n.IsMissing() {
		count++
	}
	if !n.HasError() {
		return count
	}
	for _, ch := range children(n) {
		count += countErrors(ch)
	}
	return count
}

type converter struct {
	src     []byte
	syms    []symKind
	file    *File
	regions []Region
}

func (c *converter) kind(n *sitter.Node) symKind {
	s := int(n.Symbol())
	if s < len(c.syms) {
		return c.syms[s]
	}
	return sOther
}

func children(n *sitter.Node) []*sitter.Node {
	count := int(n.ChildCount())
	if count == 0 {
		return nil
	}
	out := make([]*sitter.Node, 0, count)
	cur := sitter.NewTreeCursor(n)
	defer cur.Close()
	if !cur.GoToFirstChild() {
		return nil
	}
	for {
		out = append(out, cur.CurrentNode())
		if !cur.GoToNextSibling() {
			break
		}
	}
	return out
}

// statements converts the statements of a source file, closure or error
// node. A closure that follows a parenthesised call belongs to it: the
// grammar makes `name(args) { ... }` two siblings.
func (c *converter) statements(n *sitter.Node) []*Node {
	var out []*Node
	for _, ch := range children(n) {
		k := c.kind(ch)
		switch k {
		case sSkip:
			continue
		case sError:
			c.file.TreeErrors++
			out = append(out, c.statements(ch)...)
			continue
		case sClosure:
			if m := len(out); m > 0 && out[m-1].Kind == Call && out[m-1].Closure == nil && out[m-1].Paren {
				prev := out[m-1]
				prev.Closure = c.closure(ch)
				prev.End = int(ch.EndByte())
				continue
			}
		}
		if !ch.IsNamed() {
			continue
		}
		if ch.IsMissing() {
			c.file.TreeErrors++
			continue
		}
		if s := c.statement(ch, k); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (c *converter) statement(n *sitter.Node, k symKind) *Node {
	switch k {
	case sControl:
		b := &Node{Kind: Block, Start: int(n.StartByte()), End: int(n.EndByte())}
		c.collectBlocks(n, b)
		return b
	case sDecl:
		return c.declaration(n)
	}
	return c.expr(n, k)
}

// collectBlocks gathers the statements inside the blocks of a control
// statement; DSL calls inside an if or a loop still configure the
// enclosing builder.
func (c *converter) collectBlocks(n *sitter.Node, b *Node) {
	for _, ch := range children(n) {
		switch c.kind(ch) {
		case sClosure:
			b.Body = append(b.Body, c.statements(ch)...)
		case sControl:
			c.collectBlocks(ch, b)
		case sError:
			c.file.TreeErrors++
		}
	}
}

func (c *converter) declaration(n *sitter.Node) *Node {
	var typ, name, value *sitter.Node
	for _, ch := range children(n) {
		switch n.FieldNameForChild(indexOf(n, ch)) {
		case "type":
			typ = ch
		case "name":
			name = ch
		case "value":
			value = ch
		}
	}
	// `role SUBJECT` reads as a declaration of variable SUBJECT of type
	// role; a lower-case "type" with no value is really a command call.
	if typ != nil && name != nil && value == nil && c.kind(typ) == sIdent && c.kind(name) == sIdent {
		t := c.text(typ)
		if t != "def" && t != "var" && t[0] >= 'a' && t[0] <= 'z' && !methodModifiers[t] {
			arg := &Node{Kind: Ident, Start: int(name.StartByte()), End: int(name.EndByte()), Name: c.text(name)}
			arg.NameStart, arg.NameEnd = arg.Start, arg.End
			return &Node{Kind: Call, Start: int(n.StartByte()), End: int(n.EndByte()), Name: t,
				NameStart: int(typ.StartByte()), NameEnd: int(typ.EndByte()), Args: []*Node{arg}}
		}
	}
	d := &Node{Kind: Decl, Start: int(n.StartByte()), End: int(n.EndByte())}
	if name != nil {
		d.Name = c.text(name)
		d.NameStart, d.NameEnd = int(name.StartByte()), int(name.EndByte())
	}
	if value != nil {
		d.Args = []*Node{c.expr(value, c.kind(value))}
	}
	return d
}

func indexOf(parent, child *sitter.Node) int {
	count := int(parent.ChildCount())
	for i := 0; i < count; i++ {
		if ch := parent.Child(i); ch != nil && ch.StartByte() == child.StartByte() && ch.EndByte() == child.EndByte() && ch.Symbol() == child.Symbol() {
			return i
		}
	}
	return -1
}

func (c *converter) text(n *sitter.Node) string {
	return string(c.src[n.StartByte():n.EndByte()])
}

func (c *converter) expr(n *sitter.Node, k symKind) *Node {
	start, end := int(n.StartByte()), int(n.EndByte())
	switch k {
	case sCall, sJuxt:
		return c.call(n, k == sCall)
	case sClosure:
		return c.closure(n)
	case sString:
		s := &Node{Kind: String, Start: start, End: end}
		s.Value, s.Interp = decodeString(c.src[start:end])
		return s
	case sNumber:
		return &Node{Kind: Number, Start: start, End: end, Value: c.text(n)}
	case sBool:
		return &Node{Kind: Bool, Start: start, End: end, Value: c.text(n)}
	case sNull:
		return &Node{Kind: Null, Start: start, End: end}
	case sIdent:
		name := c.text(n)
		switch name {
		case "true", "false":
			return &Node{Kind: Bool, Start: start, End: end, Value: name}
		case "null":
			return &Node{Kind: Null, Start: start, End: end}
		}
		return &Node{Kind: Ident, Start: start, End: end, Name: name, NameStart: start, NameEnd: end}
	case sDotted:
		return &Node{Kind: Dotted, Start: start, End: end, Value: c.text(n)}
	case sList:
		l := &Node{Kind: List, Start: start, End: end}
		for _, ch := range children(n) {
			if ch.IsNamed() {
				l.Args = append(l.Args, c.expr(ch, c.kind(ch)))
			}
		}
		return l
	case sMap:
		return &Node{Kind: Map, Start: start, End: end}
	case sAssign:
		d := &Node{Kind: Decl, Start: start, End: end}
		if ch := n.NamedChild(0); ch != nil {
			d.Name = c.text(ch)
		}
		return d
	case sError:
		c.file.TreeErrors++
	}
	return &Node{Kind: Other, Start: start, End: end, Value: c.text(n)}
}

func (c *converter) closure(n *sitter.Node) *Node {
	cl := &Node{Kind: Closure, Start: int(n.StartByte()), End: int(n.EndByte())}
	for _, r := range c.regions {
		if r.Start == cl.Start {
			cl.Opaque = true
			return cl
		}
	}
	cl.Body = c.statements(n)
	return cl
}

// call converts function_call and juxt_function_call nodes.
func (c *converter) call(n *sitter.Node, paren bool) *Node {
	call := &Node{Kind: Call, Start: int(n.StartByte()), End: int(n.EndByte()), Paren: paren}
	for _, ch := range children(n) {
		k := c.kind(ch)
		switch {
		case k == sArgs:
			c.arguments(ch, call)
		case k == sIdent && call.Name == "" && call.Recv == nil:
			call.Name = c.text(ch)
			call.NameStart, call.NameEnd = int(ch.StartByte()), int(ch.EndByte())
		case k == sDotted && call.Name == "" && call.Recv == nil:
			c.receiver(ch, call)
		case k == sError:
			c.file.TreeErrors++
		case ch.IsNamed() && call.Name == "" && call.Recv == nil:
			// A call on some other expression: keep it as the receiver.
			call.Recv = c.expr(ch, k)
		}
	}
	return call
}

// receiver splits `recv.name` of a method call into receiver and name.
func (c *converter) receiver(d *sitter.Node, call *Node) {
	kids := children(d)
	var last *sitter.Node
	for i := len(kids) - 1; i >= 0; i-- {
		if kids[i].IsNamed() {
			last = kids[i]
			break
		}
	}
	if last == nil {
		return
	}
	call.Name = c.text(last)
	call.NameStart, call.NameEnd = int(last.StartByte()), int(last.EndByte())
	recvEnd := int(last.StartByte())
	var recvNode *sitter.Node
	for _, ch := range kids {
		if ch.IsNamed() && int(ch.EndByte()) <= recvEnd {
			if recvNode == nil {
				recvNode = ch
			} else {
				recvNode = nil // a.b.c: keep the text
				break
			}
		}
	}
	if recvNode != nil {
		call.Recv = c.expr(recvNode, c.kind(recvNode))
		return
	}
	start := int(d.StartByte())
	text := strings.TrimRight(string(c.src[start:recvEnd]), ".?*& \t\n")
	call.Recv = &Node{Kind: Dotted, Start: start, End: start + len(text), Value: text}
}

func (c *converter) arguments(a *sitter.Node, call *Node) {
	for _, ch := range children(a) {
		if !ch.IsNamed() {
			continue
		}
		k := c.kind(ch)
		switch k {
		case sClosure:
			call.Closure = c.closure(ch)
			continue
		case sMapItem:
			call.Args = append(call.Args, &Node{Kind: Map, Start: int(ch.StartByte()), End: int(ch.EndByte()), Value: c.text(ch)})
			continue
		case sError:
			c.file.TreeErrors++
			continue
		}
		call.Args = append(call.Args, c.expr(ch, k))
	}
}

// decodeString returns the text of a string literal and whether it
// interpolates values.
func decodeString(lit []byte) (string, bool) {
	s := string(lit)
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
