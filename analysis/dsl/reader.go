package dsl

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"regexp"
	"sort"
	"strings"

	"github.com/connls/connls/analysis/groovy"
	"github.com/connls/connls/workspace"
)

// ReadScript reads a Groovy DSL script in the given role. With
// RoleUnknown the role is guessed from the file name and the content.
func ReadScript(f *workspace.File, role Role) *Script {
	syn := groovy.Parse(f.Text)
	s := ReadSyntax(f, syn, role, nil)
	// The script keeps nothing of the tree (no node, no list of them).
	syn.Release()
	return s
}

// ReadMemo keeps, for an open document, what reading each top-level
// statement produced. A statement whose text is unchanged and starts at
// the same line and column reads the same (every range in the model is a
// line and column, and inside the statement those follow from its text),
// so an edit re-reads only the statements it touched; the blocks of the
// others are the same objects, so the classes built from them are reused
// too, which is what keeps an edit in a long script cheap.
type ReadMemo struct {
	declared uint64 // the names the file declares: they change how statements read
	stmts    map[uint64][]*stmtReading
	scopes   int // how many scopes the last reading had
}

// stmtReading is what one top-level statement added to its script.
type stmtReading struct {
	text     []byte        // its source, in the version that was read
	top      string        // the vocabulary it was read in
	start    workspace.Pos // where it started
	classes  []*ClassBlock
	rels     []*Relationship
	problems []Problem
	scopes   []Scope
	scim     bool
}

var memoSeed = maphash.MakeSeed()

// declaredPrint fingerprints the set of names a file declares.
func declaredPrint(declared map[string]bool) uint64 {
	names := make([]string, 0, len(declared))
	for n, ok := range declared {
		if ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return maphash.String(memoSeed, strings.Join(names, "\x00"))
}

// ReadSyntax builds the script model from a parsed file; the LSP calls it
// with trees from incremental parsing, and a memo of the last reading.
func ReadSyntax(f *workspace.File, syn *groovy.File, role Role, memo *ReadMemo) *Script {
	s := &Script{File: f, Kind: KindOf(f.Abs), Role: role, RoleFrom: "manifest", Inferred: bytes.Contains(f.Text, []byte(InferredMark))}
	s.ContentRole = contentRole(syn.Body)
	if role == RoleUnknown {
		s.Role, s.RoleFrom = s.Kind.Role(), "name"
		if s.Role == RoleUnknown {
			s.Role, s.RoleFrom = s.ContentRole, "content"
		}
		if s.Role == RoleUnknown {
			s.Role = RoleSchema
		}
	}
	r := &reader{file: f, src: f.Text, lines: f.Lines().Cursor(), syn: syn, script: s}
	interpretAs := s.Role
	// A schema script listed as an operation (or the reverse) fails in
	// the framework; a rule reports that once on the manifest, and the
	// script is read as what it is to avoid a cascade of follow-on errors.
	if s.ContentRole != RoleUnknown && (s.ContentRole == RoleSchema) != (s.Role == RoleSchema) {
		interpretAs = s.ContentRole
	}
	top := "schema"
	if interpretAs != RoleSchema {
		top = "operation"
	}
	if memo != nil && (len(syn.Errors) > 0 || len(syn.Unread) > 0) {
		// A broken version is read afresh, and its reading is not kept:
		// what its statements mean is a guess.
		memo.stmts, memo = nil, nil
	}
	if memo != nil {
		if d := declaredPrint(syn.Declared); d != memo.declared {
			memo.declared, memo.stmts = d, nil
		}
	}
	if memo == nil {
		stack := []*frame{{block: top}}
		for i, n := range syn.Body {
			r.base = syn.Base[i]
			r.statements([]*groovy.Node{n}, stack)
		}
	} else {
		r.topStatements(syn, top, memo)
	}
	r.base = 0 // what follows has offsets in the file
	r.syntaxProblems()
	r.regionProblems()
	s.Ignores = ignores(syn.Comments, f.Lines())
	return s
}

// topStatements reads the top-level statements, reusing the memo's
// reading of those the edit left alone, and records the new readings.
func (r *reader) topStatements(syn *groovy.File, top string, memo *ReadMemo) {
	s := r.script
	next := make(map[uint64][]*stmtReading, len(syn.Body))
	r.scopes = memo.scopes
	for i, n := range syn.Body {
		r.base = syn.Base[i]
		if n.Kind != groovy.Call {
			r.statements([]*groovy.Node{n}, []*frame{{block: top}})
			continue
		}
		text := r.src[r.base+n.Start : r.base+n.End]
		h := maphash.Bytes(memoSeed, text)
		start := r.lines.Pos(r.base + n.Start)
		var got *stmtReading
		for _, old := range memo.stmts[h] {
			if old.top == top && old.start == start && bytes.Equal(old.text, text) {
				got = old
				break
			}
		}
		if got != nil {
			s.Scim = s.Scim || got.scim
			s.Classes = append(s.Classes, got.classes...)
			s.Relationships = append(s.Relationships, got.rels...)
			s.Problems = append(s.Problems, got.problems...)
			r.addScopes(got.scopes...)
		} else {
			nc, nr, np, ns := len(s.Classes), len(s.Relationships), len(s.Problems), len(s.Scopes)
			r.sawScim = false
			r.call(n, []*frame{{block: top}})
			s.Scim = s.Scim || r.sawScim
			got = &stmtReading{text: text, top: top, start: start, scim: r.sawScim,
				classes:  append([]*ClassBlock(nil), s.Classes[nc:]...),
				rels:     append([]*Relationship(nil), s.Relationships[nr:]...),
				problems: append([]Problem(nil), s.Problems[np:]...),
				scopes:   append([]Scope(nil), s.Scopes[ns:]...)}
		}
		next[h] = append(next[h], got)
	}
	memo.stmts, memo.scopes = next, len(s.Scopes)
}

// contentRole guesses a script's role from what its top-level blocks
// contain.
func contentRole(body []*groovy.Node) Role {
	schema, op, auth := 0, 0, 0
	for _, n := range body {
		if n.Kind != groovy.Call || n.Recv != nil {
			continue
		}
		switch n.Name {
		case "relationship":
			schema++
		case "authentication":
			auth++
		case "test":
			op++
		case "objectClass":
			if n.Closure == nil {
				continue
			}
			for _, c := range n.Closure.Body {
				if c.Kind != groovy.Call || c.Recv != nil {
					continue
				}
				switch c.Name {
				case "attribute", "reference", "connIdAttribute", "embedded", "description":
					schema++
				case "search", "create", "update", "delete", "list", "read":
					op++
				}
			}
		}
	}
	switch {
	case auth > 0 && schema == 0 && op == 0:
		return RoleAuthorization
	case schema > op:
		return RoleSchema
	case op > 0 || auth > 0:
		return RoleOperation
	}
	return RoleUnknown
}

type reader struct {
	file   *workspace.File
	src    []byte
	lines  *workspace.Cursor
	syn    *groovy.File
	script *Script
	// base is the offset the offsets of the syntax nodes being read are
	// relative to: the start of their top-level statement (groovy.File.Base).
	base int
	// sawScim is set by a scim {} block of the statement being read.
	sawScim bool
	// scopes is how many scopes the last reading of the script had: the
	// script's Scopes are made that big at the first one (a long script
	// has thousands, and growing a slice to them allocated more than the
	// rest of an edit's reading).
	scopes int
}

// addScopes appends to the script's scopes.
func (r *reader) addScopes(sc ...Scope) {
	if r.script.Scopes == nil && len(sc) > 0 {
		r.script.Scopes = make([]Scope, 0, max(r.scopes, len(sc)))
	}
	r.script.Scopes = append(r.script.Scopes, sc...)
}

// frame is one open DSL block while reading: its vocabulary and the model
// element it configures.
type frame struct {
	block string
	class *ClassBlock
	attr  *AttrDecl
	op    *OpBlock
	ep    *Endpoint
	sup   *SupportedAttr
	rel   *Relationship
	part  *Participant
	// props is how many statements an attribute's closure holds: its
	// Props are made that big at the first one, not grown one by one.
	props int
}

// rng returns the range of offsets relative to r.base.
func (r *reader) rng(start, end int) workspace.Range {
	return r.lines.Range(r.base+start, r.base+end)
}

func (r *reader) nodeRange(n *groovy.Node) workspace.Range { return r.rng(n.Start, n.End) }

func (r *reader) nameRange(n *groovy.Node) workspace.Range { return r.rng(n.NameStart, n.NameEnd) }

func (r *reader) problem(code string, sev Severity, rg workspace.Range, format string, args ...any) *Problem {
	r.script.Problems = append(r.script.Problems, Problem{
		Code: code, Severity: sev, Abs: r.file.Abs, Path: r.file.Path, Range: rg,
		Message: fmt.Sprintf(format, args...),
	})
	return &r.script.Problems[len(r.script.Problems)-1]
}

func (r *reader) statements(body []*groovy.Node, stack []*frame) {
	for _, n := range body {
		switch n.Kind {
		case groovy.Call:
			r.call(n, stack)
		case groovy.Block:
			r.statements(n.Body, stack)
		}
	}
}

// resolve finds the innermost block on the stack that has a member name.
func resolve(stack []*frame, name string) (int, member, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		if b := vocabulary[stack[i].block]; b != nil {
			if mem, ok := b.members[name]; ok {
				return i, mem, true
			}
		}
	}
	return -1, member{}, false
}

// constVisible reports whether a bare constant is visible from the top of
// the stack.
func constVisible(stack []*frame, name string) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		if b := vocabulary[stack[i].block]; b != nil {
			for _, c := range b.consts {
				if c == name {
					return true
				}
			}
		}
	}
	return false
}

func (r *reader) call(n *groovy.Node, stack []*frame) {
	if n.Recv != nil {
		r.chainedCall(n, stack)
		return
	}
	if n.Name == "" {
		return
	}
	level, mem, ok := resolve(stack, n.Name)
	if !ok {
		r.unresolved(n, stack)
		return
	}
	if mem.misuse != "" {
		r.problem("not-implemented", SevError, r.nameRange(n), "%s", mem.misuse)
		return
	}
	args := n.Args
	if mem.block == "" && n.Closure != nil {
		// A member that takes no closure gets it as its last argument
		// (Groovy's trailing-closure rule): check it as one.
		args = append(args[:len(args):len(args)], n.Closure)
	}
	r.checkArgs(n, args, mem, stack)
	if n.Name == "scim" && mem.block != "" {
		r.sawScim = true
		r.script.Scim = true
	}
	f := stack[level]
	child := r.apply(n, f)
	if n.Closure == nil || n.Closure.Opaque || mem.block == "" || mem.block == runtimeBlock {
		return
	}
	if child == nil {
		child = inner(f)
	}
	child.block = mem.block
	sc := Scope{Range: r.rng(n.Closure.Start+1, n.Closure.End-1), Block: mem.block}
	if child.class != nil {
		sc.Class = child.class.Name
	} else if child.part != nil {
		sc.Class = child.part.Class
	}
	r.addScopes(sc)
	r.statements(n.Closure.Body, append(stack[:len(stack):len(stack)], child))
}

// chainedCall handles method calls on expressions such as
// attribute("id").connId().type(String.class): only the root call
// matters to the model.
func (r *reader) chainedCall(n *groovy.Node, stack []*frame) {
	root := n
	for root.Recv != nil && root.Recv.Kind == groovy.Call {
		root = root.Recv
	}
	if root.Recv != nil || root == n {
		return
	}
	if level, _, ok := resolve(stack, root.Name); ok {
		f := stack[level]
		if f.block == "schemaClass" && (root.Name == "attribute" || root.Name == "reference") {
			r.apply(root, f)
		}
	}
}

// unresolved reports a call no block on the stack provides, unless the
// script or Groovy itself provides it.
func (r *reader) unresolved(n *groovy.Node, stack []*frame) {
	name := n.Name
	if r.syn.Declared[name] || groovyMethods[name] {
		return
	}
	top := stack[len(stack)-1]
	if _, ok := builderInternals[name]; ok {
		for _, f := range stack {
			if f.block == "schemaClass" || f.block == "attribute" {
				return
			}
		}
	}
	if top.block == "response" && name == "contentType" {
		r.problem("response-content-type", SevError, r.nameRange(n),
			"response {} has no contentType: the framework fails when it loads the script; remove it (responses are read as JSON)")
		return
	}
	var candidates []string
	for _, f := range stack {
		if b := vocabulary[f.block]; b != nil {
			for k, mem := range b.members {
				if mem.misuse == "" {
					candidates = append(candidates, k)
				}
			}
		}
	}
	p := r.problem("unknown-dsl", SevError, r.nameRange(n), "%s", unknownMessage(name, vocabulary[top.block].doc, candidates))
	for _, s := range Closest(name, candidates, 3) {
		p.Fixes = append(p.Fixes, Fix{Title: fmt.Sprintf("Change to %s", s), Edits: []Edit{{Abs: r.file.Abs, Range: r.nameRange(n), NewText: s}}})
	}
}

func unknownMessage(name, where string, candidates []string) string {
	msg := fmt.Sprintf("unknown DSL name %q in %s: the framework fails with MissingMethodException", name, where)
	if s := Closest(name, candidates, 1); len(s) > 0 {
		return msg + fmt.Sprintf("; did you mean %q?", s[0])
	}
	if blocks := whereValid(name); len(blocks) > 0 {
		return msg + "; it belongs in " + strings.Join(blocks, ", ")
	}
	return msg
}

var constLike = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)

// checkArgs checks the number of arguments and the types of literal ones.
func (r *reader) checkArgs(n *groovy.Node, args []*groovy.Node, mem member, stack []*frame) {
	if n.Name == "connIdAttribute" {
		return // the mapping rules say more about it
	}
	max := len(mem.args)
	if len(args) < mem.min || (!mem.variadic && len(args) > max) {
		r.problem("wrong-arguments", SevError, r.nodeRange(n), "%s takes %s, got %d: the framework fails with MissingMethodException",
			n.Name, arity(mem), len(args))
		return
	}
	for i, a := range args {
		want := vAny
		if i < len(mem.args) {
			want = mem.args[i]
		} else if mem.variadic && len(mem.args) > 0 {
			want = mem.args[len(mem.args)-1]
		}
		if n.Name == "body" && a.Kind == groovy.Closure {
			continue // reported as body-closure
		}
		if !r.argFits(a, want, stack) {
			got := describe(a)
			if want == vConst && a.Kind == groovy.Ident {
				var consts []string
				for _, f := range stack {
					if b := vocabulary[f.block]; b != nil {
						consts = append(consts, b.consts...)
					}
				}
				p := r.problem("unknown-constant", SevError, r.nodeRange(a), "%s is not a constant of this block: the framework fails with MissingPropertyException", a.Name)
				if s := Closest(a.Name, consts, 1); len(s) > 0 {
					p.Message += fmt.Sprintf("; did you mean %s?", s[0])
					p.Fixes = append(p.Fixes, Fix{Title: "Change to " + s[0], Edits: []Edit{{Abs: r.file.Abs, Range: r.nodeRange(a), NewText: s[0]}}})
				}
				continue
			}
			p := r.problem("wrong-value-type", SevError, r.nodeRange(a), "%s expects %s, not %s", n.Name, want, got)
			if want == vBool && a.Kind == groovy.String {
				switch strings.ToLower(a.Value) {
				case "true", "yes", "1", "on":
					p.Fixes = append(p.Fixes, Fix{Title: "Change to true", Edits: []Edit{{Abs: r.file.Abs, Range: r.nodeRange(a), NewText: "true"}}})
				case "false", "no", "0", "off":
					p.Fixes = append(p.Fixes, Fix{Title: "Change to false", Edits: []Edit{{Abs: r.file.Abs, Range: r.nodeRange(a), NewText: "false"}}})
				}
			}
		}
	}
}

func arity(mem member) string {
	max := len(mem.args)
	switch {
	case mem.variadic:
		return fmt.Sprintf("at least %d argument%s", mem.min, plural(mem.min))
	case mem.min == max:
		return fmt.Sprintf("%d argument%s", max, plural(max))
	}
	return fmt.Sprintf("%d to %d arguments", mem.min, max)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func describe(a *groovy.Node) string {
	switch a.Kind {
	case groovy.String:
		return fmt.Sprintf("the string %q", a.Value)
	case groovy.Bool:
		return a.Value
	case groovy.Number:
		return "the number " + a.Value
	case groovy.Ident:
		return a.Name
	case groovy.Closure:
		return "a closure"
	}
	return "this expression"
}

// argFits reports whether an argument may have the wanted type. Only
// literals are judged; expressions may evaluate to anything.
func (r *reader) argFits(a *groovy.Node, want valueType, stack []*frame) bool {
	switch a.Kind {
	case groovy.String:
		return want == vAny || want == vString || want == vConst || want == vClass
	case groovy.Bool:
		return want == vAny || want == vBool
	case groovy.Number:
		return want == vAny || want == vInt
	case groovy.Ident:
		if want != vConst {
			return true
		}
		return !constLike.MatchString(a.Name) || constVisible(stack, a.Name) || r.syn.Declared[a.Name]
	case groovy.Closure:
		return want == vAny
	}
	return true
}

func stringArg(n *groovy.Node, i int) (string, *groovy.Node, bool) {
	if i >= len(n.Args) {
		return "", nil, false
	}
	a := n.Args[i]
	if a.Kind == groovy.String && !a.Interp {
		return a.Value, a, true
	}
	return "", a, false
}

// Literal returns the text and kind of a Literal argument.
func Literal(a *groovy.Node) (string, string) {
	switch a.Kind {
	case groovy.String:
		if a.Interp {
			return a.Value, ""
		}
		return a.Value, "string"
	case groovy.Bool:
		return a.Value, "bool"
	case groovy.Number:
		return a.Value, "number"
	case groovy.Ident:
		return a.Name, "ident"
	case groovy.Dotted:
		return a.Value, "dotted"
	case groovy.Null:
		return "null", "null"
	}
	return "", ""
}

// aliases are the DSL methods that set the same property as another.
var aliases = map[string]string{
	"updatable": "updateable", "protocolName": "jsonName", "remoteName": "jsonName",
}

// CanonicalName returns the name of the property a DSL method sets:
// updateable for updatable, jsonName for protocolName and remoteName,
// else the method's own name.
func CanonicalName(method string) string {
	if c, ok := aliases[method]; ok {
		return c
	}
	return method
}

func (r *reader) prop(n *groovy.Node, block string) *Prop {
	p := &Prop{Name: n.Name, Key: n.Name, Block: block, Range: r.nodeRange(n)}
	p.Name = CanonicalName(n.Name)
	if block == "json" {
		switch n.Name {
		case "type":
			p.Name = "jsonType"
		case "name":
			p.Name = "jsonName"
		}
	}
	if block == "scim" || block == "connId" {
		p.Name = block + "." + n.Name
	}
	if len(n.Args) > 0 {
		p.Value, p.Literal = Literal(n.Args[0])
		p.ValueRange = r.nodeRange(n.Args[0])
	} else {
		p.Value, p.Literal = "true", "bool" // owner() and similar
		p.ValueRange = p.Range
	}
	return p
}

// apply records what a resolved call means in the model and returns the
// frame its block's reader opens for the call's closure, or nil when the
// closure holds more of the enclosing frame's (see inner).
func (r *reader) apply(n *groovy.Node, f *frame) *frame {
	if read := blockReaders[f.block]; read != nil {
		return read(r, n, f)
	}
	return nil
}

// inner is the frame of a closure that holds more of the same as f's.
// It is made only for a closure that is read: most calls have none.
func inner(f *frame) *frame {
	return &frame{class: f.class, attr: f.attr, op: f.op, ep: f.ep}
}

// blockReaders read a call by the DSL block it is in; each returns the
// frame the call's closure opens, or nil for the enclosing one.
var blockReaders = map[string]func(*reader, *groovy.Node, *frame) *frame{
	"schema":                (*reader).readTopLevel,
	"operation":             (*reader).readTopLevel,
	"relationship":          (*reader).readRelationship,
	"participant":           (*reader).readParticipant,
	"schemaClass":           (*reader).readSchemaClass,
	"attribute":             (*reader).readAttribute,
	"json":                  (*reader).readAttributeMapping,
	"attrScim":              (*reader).readAttributeMapping,
	"connId":                (*reader).readConnID,
	"classScim":             (*reader).readClassScim,
	"opClass":               (*reader).readOpClass,
	"search":                (*reader).readSearch,
	"searchEndpoint":        (*reader).readSearchEndpoint,
	"custom":                (*reader).readSearchEndpoint,
	"searchScimLimitations": (*reader).readSearchEndpoint,
	"attributeResolver":     (*reader).readResolver,
	"resolver":              (*reader).readResolver,
	"create":                (*reader).readOperation,
	"update":                (*reader).readOperation,
	"delete":                (*reader).readOperation,
	"createEndpoint":        (*reader).readOpEndpoint,
	"updateEndpoint":        (*reader).readOpEndpoint,
	"deleteEndpoint":        (*reader).readOpEndpoint,
	"request":               (*reader).readRequest,
	"supportedAttribute":    (*reader).readSupportedAttribute,
}

// readTopLevel reads objectClass and relationship at the top of a schema
// or operation script.
func (r *reader) readTopLevel(n *groovy.Node, f *frame) *frame {
	s := r.script
	switch n.Name {
	case "objectClass":
		name, arg, _ := stringArg(n, 0)
		cb := &ClassBlock{Name: name, Range: r.nodeRange(n), Script: s, Role: RoleSchema}
		if f.block == "operation" {
			cb.Role = RoleOperation
		}
		if arg != nil {
			cb.NameRange = r.nodeRange(arg)
		}
		if n.Closure != nil {
			cb.Body = r.rng(n.Closure.Start+1, n.Closure.End-1)
		}
		s.Classes = append(s.Classes, cb)
		return &frame{class: cb}
	case "relationship":
		name, _, _ := stringArg(n, 0)
		rel := &Relationship{Name: name, Range: r.nodeRange(n)}
		s.Relationships = append(s.Relationships, rel)
		return &frame{rel: rel}
	}
	return nil
}

// readRelationship reads the subject and object of a relationship.
func (r *reader) readRelationship(n *groovy.Node, f *frame) *frame {
	name, arg, _ := stringArg(n, 0)
	p := &Participant{Class: name}
	if arg != nil {
		p.ClassRange = r.nodeRange(arg)
	}
	if n.Name == "subject" {
		f.rel.Subject = p
	} else {
		f.rel.Object = p
	}
	return &frame{rel: f.rel, part: p}
}

// readParticipant reads the attribute of a relationship participant.
func (r *reader) readParticipant(n *groovy.Node, f *frame) *frame {
	s := r.script
	if n.Name == "attribute" {
		name, arg, _ := stringArg(n, 0)
		a := &AttrDecl{Name: name, Range: r.nodeRange(n), Script: s, Reference: true, FromRelationship: f.rel.Name}
		if arg != nil {
			a.NameRange = r.nodeRange(arg)
		}
		if f.part.Attribute == nil {
			f.part.Attribute = a
		}
		return &frame{attr: a}
	}
	return nil
}

// readSchemaClass reads an object class of a schema script: attributes,
// mappings, SCIM, class properties.
func (r *reader) readSchemaClass(n *groovy.Node, f *frame) *frame {
	s := r.script
	cb := f.class
	switch n.Name {
	case "attribute", "reference":
		name, arg, _ := stringArg(n, 0)
		a := &AttrDecl{Name: name, Range: r.nodeRange(n), Class: cb, Script: s, Reference: n.Name == "reference"}
		if arg != nil {
			a.NameRange = r.nodeRange(arg)
		}
		if n.Closure != nil {
			a.Body, a.HasBody = r.rng(n.Closure.Start+1, n.Closure.End-1), true
		}
		cb.Attributes = append(cb.Attributes, a)
		next := &frame{class: cb, attr: a}
		if n.Closure != nil {
			next.props = len(n.Closure.Body)
		}
		return next
	case "connIdAttribute":
		r.mapping(n, cb)
	case "scim":
		cb.Scim = &Prop{Name: "scim", Key: "scim", Range: r.nodeRange(n)}
		return &frame{class: cb}
	case "description", "embedded", "locator", "namespace":
		cb.Props = append(cb.Props, r.prop(n, ""))
	}
	return nil
}

// readAttribute reads the properties of an attribute declaration.
func (r *reader) readAttribute(n *groovy.Node, f *frame) *frame {
	a := f.attr
	switch n.Name {
	case "json", "connId", "scim":
		return &frame{attr: a, class: f.class}
	case "resolver":
		a.Resolver = true
		return &frame{attr: a, class: f.class}
	case "asAttribute", "isReference", "build":
	default:
		if a.Props == nil && f.props > 1 {
			a.Props = make([]*Prop, 0, f.props)
		}
		a.Props = append(a.Props, r.prop(n, ""))
	}
	return nil
}

// readAttributeMapping reads the json { } and scim { } blocks of an attribute.
func (r *reader) readAttributeMapping(n *groovy.Node, f *frame) *frame {
	block := "json"
	if f.block == "attrScim" {
		block = "scim"
	}
	switch {
	case f.attr == nil:
	case n.Name == "name" || n.Name == "type" || n.Name == "openApiFormat":
		f.attr.Props = append(f.attr.Props, r.prop(n, block))
	case n.Name == "path" && len(n.Args) == 1:
		if path, filtered := pathText(n.Args[0]); path != "" {
			p := r.prop(n, block)
			p.Value, p.Literal = path, "path"
			if filtered {
				p.Literal = "filtered-path" // one value picked out of several
			}
			if block == "json" {
				p.Name = "jsonPath"
			}
			f.attr.Props = append(f.attr.Props, p)
		}
	}
	return nil
}

// readConnID reads the connId { } block of an attribute, where name
// UID/NAME maps it.
func (r *reader) readConnID(n *groovy.Node, f *frame) *frame {
	if f.attr == nil {
		return nil
	}
	p := r.prop(n, "connId")
	f.attr.Props = append(f.attr.Props, p)
	if n.Name == "name" && len(n.Args) == 1 {
		a := n.Args[0]
		switch {
		case a.Kind == groovy.Ident && (a.Name == "UID" || a.Name == "NAME") && f.class != nil:
			f.class.Mappings = append(f.class.Mappings, &Mapping{
				ConnID: a.Name, ConnIDRange: r.nodeRange(a), Attr: f.attr.Name, AttrRange: f.attr.NameRange,
				Range: r.nodeRange(n), Class: f.class, Args: 2, Via: "connId", Literal: true,
			})
		case a.Kind == groovy.String && (a.Value == "UID" || a.Value == "NAME" || strings.HasPrefix(a.Value, "__")):
			pr := r.problem("connid-name-string", SevWarning, r.nodeRange(a),
				"connId { name %q } names the attribute literally %q; use the constant (name %s) to map it to ConnId's %s",
				a.Value, a.Value, strings.Trim(a.Value, "_"), strings.Trim(a.Value, "_"))
			if c := strings.Trim(a.Value, "_"); c == "UID" || c == "NAME" {
				pr.Fixes = []Fix{{Title: "Use the constant " + c, Edits: []Edit{{Abs: r.file.Abs, Range: r.nodeRange(a), NewText: c}}}}
			}
		}
	}
	return nil
}

// readClassScim reads the scim { } block of an object class.
func (r *reader) readClassScim(n *groovy.Node, f *frame) *frame {
	if f.class == nil {
		return nil
	}
	p := r.prop(n, "scim")
	if n.Name == "extension" && len(n.Args) == 2 {
		p.Value, _ = Literal(n.Args[1])
	}
	f.class.Props = append(f.class.Props, p)
	return nil
}

// readOpClass reads the operations of an object class in an operation script.
func (r *reader) readOpClass(n *groovy.Node, f *frame) *frame {
	switch n.Name {
	case "search", "create", "update", "delete":
		op := &OpBlock{Kind: n.Name, Range: r.nodeRange(n), Class: f.class}
		if n.Closure != nil {
			op.Body = r.rng(n.Closure.Start+1, n.Closure.End-1)
		}
		f.class.Ops = append(f.class.Ops, op)
		return &frame{class: f.class, op: op}
	}
	return nil
}

// readSearch reads the endpoints of a search block.
func (r *reader) readSearch(n *groovy.Node, f *frame) *frame {
	switch n.Name {
	case "endpoint":
		ep := r.endpoint(n, "search", f.op)
		if len(n.Args) >= 2 {
			r.problem("search-endpoint-method", SevError, r.nodeRange(n.Args[0]),
				"search endpoints take only a path at HEAD: endpoint(METHOD, path) fails with MissingMethodException; use endpoint(path) { httpOperation %s }", orDefault(ep.Method, "GET"))
		}
		return &frame{class: f.class, op: f.op, ep: ep}
	case "custom":
		f.op.Custom = true
		ep := &Endpoint{Operation: "search", Range: r.nodeRange(n), Op: f.op}
		f.op.Endpoints = append(f.op.Endpoints, ep)
		return &frame{class: f.class, op: f.op, ep: ep}
	case "scim":
		f.op.Scim = true
	}
	return nil
}

// readSearchEndpoint reads what a search endpoint supports: filters,
// single results, its method.
func (r *reader) readSearchEndpoint(n *groovy.Node, f *frame) *frame {
	ep := f.ep
	if ep == nil {
		return nil
	}
	switch n.Name {
	case "attribute":
		if name, arg, ok := stringArg(n, 0); ok {
			ep.Filters = append(ep.Filters, &NameRef{Name: name, Range: r.nodeRange(arg)})
		}
	case "supportedFilter":
		ep.SupportedFilters++
		if len(n.Args) > 0 {
			if ref := r.filterAttribute(n.Args[0]); ref != nil {
				ep.Filters = append(ep.Filters, ref)
				ep.FilterSpecs = append(ep.FilterSpecs, r.filterSpec(*ref, n))
			}
		}
		if f.block == "searchEndpoint" && n.Closure == nil {
			r.problem("not-implemented", SevError, r.nameRange(n),
				"supportedFilter(...) without a closure throws \"Not implemented yet.\"; add the closure that applies the filter to the request")
		}
	case "emptyFilterSupported":
		if len(n.Args) == 1 && n.Args[0].Kind == groovy.Bool {
			v := n.Args[0].Value == "true"
			ep.EmptyFilter = &v
		}
	case "singleResult":
		ep.SingleResult = true
	case "httpOperation":
		if len(n.Args) == 1 {
			ep.Method, _ = Literal(n.Args[0])
			ep.MethodSet, ep.MethodRange = true, r.nodeRange(n.Args[0])
		}
	}
	return nil
}

// readResolver reads the attributes an attribute resolver fills.
func (r *reader) readResolver(n *groovy.Node, f *frame) *frame {
	if f.op == nil {
		return nil
	}
	switch n.Name {
	case "attribute", "attributes":
		for i := range n.Args {
			if name, arg, ok := stringArg(n, i); ok {
				f.op.Resolvers = append(f.op.Resolvers, &NameRef{Name: name, Range: r.nodeRange(arg)})
			}
		}
	}
	return nil
}

// readOperation reads the endpoints of a create, update or delete block.
func (r *reader) readOperation(n *groovy.Node, f *frame) *frame {
	if n.Name == "endpoint" {
		ep := r.endpoint(n, f.block, f.op)
		return &frame{class: f.class, op: f.op, ep: ep}
	}
	return nil
}

// readOpEndpoint reads what a create, update or delete endpoint supports.
func (r *reader) readOpEndpoint(n *groovy.Node, f *frame) *frame {
	ep := f.ep
	switch n.Name {
	case "supportedAttributes":
		for i := range n.Args {
			if name, arg, ok := stringArg(n, i); ok {
				ep.Supported = append(ep.Supported, &SupportedAttr{NameRef: NameRef{Name: name, Range: r.nodeRange(arg)}})
			}
		}
	case "supportedAttribute":
		if name, arg, ok := stringArg(n, 0); ok {
			sa := &SupportedAttr{NameRef: NameRef{Name: name, Range: r.nodeRange(arg)}}
			ep.Supported = append(ep.Supported, sa)
			return &frame{class: f.class, op: f.op, ep: ep, sup: sa}
		}
	case "httpOperation":
		if len(n.Args) == 1 {
			ep.Method, _ = Literal(n.Args[0])
			ep.MethodSet, ep.MethodRange = true, r.nodeRange(n.Args[0])
		}
	case "request", "response":
		return &frame{class: f.class, op: f.op, ep: ep}
	}
	return nil
}

// readRequest reads the request of an endpoint: content type and body.
func (r *reader) readRequest(n *groovy.Node, f *frame) *frame {
	ep := f.ep
	if ep == nil {
		return nil
	}
	switch n.Name {
	case "contentType":
		if len(n.Args) > 0 {
			ep.ContentType, _ = Literal(n.Args[0])
			ep.ContentTypeRange = r.nodeRange(n)
		}
	case "body":
		ep.RequestBodyRange = r.nodeRange(n)
		switch {
		case n.Closure != nil && len(n.Args) == 0:
			ep.RequestBody = "closure"
			r.problem("body-closure", SevError, r.nodeRange(n),
				"body { ... } with a closure throws UnsupportedOperationException at HEAD; pass a function (body EMPTY for no body)")
		case len(n.Args) > 0:
			ep.RequestBody, _ = Literal(n.Args[0])
			if ep.RequestBody == "" {
				ep.RequestBody = "function"
			}
		}
	}
	return nil
}

// readSupportedAttribute reads the values and transitions of a supported attribute.
func (r *reader) readSupportedAttribute(n *groovy.Node, f *frame) *frame {
	if f.sup == nil {
		return nil
	}
	switch n.Name {
	case "value":
		if len(n.Args) > 0 {
			v, _ := Literal(n.Args[0])
			f.sup.Values = append(f.sup.Values, v)
		}
	case "transition":
		f.sup.Transitions++
		if len(n.Args) == 2 {
			from, fk := Literal(n.Args[0])
			to, tk := Literal(n.Args[1])
			if fk != "" && tk != "" && fk != "ident" && tk != "ident" {
				f.sup.TransitionPairs = append(f.sup.TransitionPairs, [2]string{groovySource(from, fk), groovySource(to, tk)})
			}
		}
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// endpoint records endpoint([METHOD,] path) of an operation.
func (r *reader) endpoint(n *groovy.Node, op string, ob *OpBlock) *Endpoint {
	ep := &Endpoint{Operation: op, Method: defaultMethod(op), Range: r.nodeRange(n), Op: ob}
	if n.Closure != nil {
		ep.Body = r.rng(n.Closure.Start+1, n.Closure.End-1)
	}
	pathArg := 0
	if len(n.Args) >= 2 {
		pathArg = 1
		if m, kind := Literal(n.Args[0]); kind == "ident" || kind == "string" {
			ep.Method, ep.MethodSet, ep.MethodRange = m, true, r.nodeRange(n.Args[0])
		}
	}
	if pathArg < len(n.Args) {
		a := n.Args[pathArg]
		ep.Path, _ = Literal(a)
		ep.PathRange = r.nodeRange(a)
	}
	if ob != nil {
		ob.Endpoints = append(ob.Endpoints, ep)
	}
	return ep
}

func defaultMethod(op string) string {
	switch op {
	case "create":
		return "POST"
	case "update":
		return "PUT"
	case "delete":
		return "DELETE"
	}
	return "GET"
}

// pathText renders an attribute path such as
// attribute("name").child("givenName") as "name.givenName";
// extension("enterprise").child("x") gives "x", since SCIM documents
// list extension attributes by their own names.
func pathText(n *groovy.Node) (path string, filtered bool) {
	var parts []string
	for ; n != nil && n.Kind == groovy.Call; n = n.Recv {
		switch n.Name {
		case "child", "attribute":
			if s, _, ok := stringArg(n, 0); ok {
				parts = append(parts, s)
			}
		case "valueFilter", "firstValue":
			filtered = true
		}
		if n.Recv == nil && n.Name != "attribute" && n.Name != "extension" {
			return "", false
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "."), filtered
}

// filterAttribute finds attribute("x") at the root of a filter
// specification such as attribute("id").eq().anySingleValue().
func (r *reader) filterAttribute(spec *groovy.Node) *NameRef {
	for n := spec; n != nil && n.Kind == groovy.Call; n = n.Recv {
		if n.Recv == nil && n.Name == "attribute" {
			if name, arg, ok := stringArg(n, 0); ok {
				return &NameRef{Name: name, Range: r.nodeRange(arg)}
			}
		}
	}
	return nil
}

// filterSpec reads the operator of a filter specification and the
// request parameter its closure fills, from the closure's text: the
// closure is runtime code that connls does not parse.
func (r *reader) filterSpec(attr NameRef, n *groovy.Node) *FilterSpec {
	fs := &FilterSpec{Attr: attr}
	for c := n.Args[0]; c != nil && c.Kind == groovy.Call; c = c.Recv {
		if c.Name == "eq" || c.Name == "contains" {
			fs.Op = c.Name
		}
	}
	if cl := n.Closure; cl != nil && r.base+cl.Start >= 0 && r.base+cl.End <= len(r.src) && cl.Start < cl.End {
		body := r.src[r.base+cl.Start : r.base+cl.End]
		// The words first: most closures have one of the two, and a
		// regular expression that cannot match still scans the text.
		if bytes.Contains(body, []byte("pathParameter")) {
			if m := pathParamRe.FindSubmatch(body); m != nil {
				fs.PathParam = string(m[1])
			}
		}
		if bytes.Contains(body, []byte("query")) {
			if m := queryParamRe.FindSubmatch(body); m != nil {
				fs.QueryParam = string(m[1])
			}
		}
	}
	return fs
}

var (
	pathParamRe  = regexp.MustCompile(`\bpathParameter\s*\(\s*["']([^"'$]+)["']`)
	queryParamRe = regexp.MustCompile(`\b(?:queryParameter|query)\s*\(\s*["']([^"'$]+)["']`)
)

// groovySource writes a literal back as Groovy source.
func groovySource(text, kind string) string {
	if kind == "string" {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "\n", `\n`).Replace(text) + `"`
	}
	return text
}

// mapping records connIdAttribute(connIdName, attributeName).
func (r *reader) mapping(n *groovy.Node, cb *ClassBlock) {
	m := &Mapping{Range: r.nodeRange(n), Class: cb, Args: len(n.Args), Via: "connIdAttribute", Literal: true}
	if len(n.Args) > 0 {
		a := n.Args[0]
		m.ConnID, _ = Literal(a)
		m.ConnIDRange = r.nodeRange(a)
		m.Literal = a.Kind == groovy.String && !a.Interp
	}
	if len(n.Args) > 1 {
		a := n.Args[1]
		m.Attr, _ = Literal(a)
		m.AttrRange = r.nodeRange(a)
		m.Literal = m.Literal && a.Kind == groovy.String && !a.Interp
	}
	for _, c := range r.syn.Chains {
		if c > r.base+n.Start && c < r.base+n.End {
			m.Chain = true
		}
	}
	cb.Mappings = append(cb.Mappings, m)
}

func (r *reader) syntaxProblems() {
	for _, e := range r.syn.Errors {
		r.problem("syntax", SevError, r.rng(e.Start, e.End), "%s", e.Message)
	}
	for _, u := range r.syn.Unread {
		if u.Load {
			r.problem("unread-statement", SevInformation, r.rng(u.Start, u.Start+1),
				"connls ran out of time reading this statement (the machine is busy): its findings are held back, and it is read again on the next change")
			continue
		}
		r.problem("unread-statement", SevWarning, r.rng(u.Start, u.Start+1),
			"connls could not read this statement: the parser's error recovery took more steps than it allows; check its brackets, quotes and operators (its findings are held back)")
	}
	for _, c := range r.syn.Chains {
		pos := r.lines.Pos(c)
		p := r.problem("command-chain", SevError, workspace.Range{Start: pos, End: r.lines.Pos(c + 1)},
			"missing comma between the arguments: Groovy reads `name \"a\" \"b\"` as the command chain name(\"a\").\"b\" and the framework fails")
		p.Fixes = []Fix{{Title: "Insert the missing comma", Edits: []Edit{{Abs: r.file.Abs, Range: workspace.Range{Start: pos, End: pos}, NewText: ","}}}}
	}
}

func (r *reader) regionProblems() {
	for _, reg := range r.syn.Regions {
		if reg.Owner == "deserialize" && len(reg.UsesIt) > 0 && !reg.AssignsIt {
			for _, at := range reg.UsesIt {
				p := r.problem("deserialize-it", SevWarning, r.rng(at, at+2),
					"`it` is null inside deserialize {}: the framework passes the value as `value`, not as an argument")
				p.Fixes = []Fix{{Title: "Use value", Edits: []Edit{{Abs: r.file.Abs, Range: r.rng(at, at+2), NewText: "value"}}}}
			}
		}
		for _, at := range reg.FilterEquals {
			r.problem("filter-equals", SevWarning, r.rng(at, at+len("equals")),
				"attributeFilter(...).equals(v) is Object.equals and returns a boolean, not a filter; use .eq(v)")
		}
	}
}

var ignoreRe = regexp.MustCompile(`connls:ignore\b([\w\s,-]*)`)

func ignores(comments []groovy.Comment, lines *workspace.Lines) []Ignore {
	var out []Ignore
	for _, c := range comments {
		if !strings.Contains(c.Text, "connls:ignore") {
			continue // most comments: no need to run the expression
		}
		m := ignoreRe.FindStringSubmatch(c.Text)
		if m == nil {
			continue
		}
		codes := strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
		out = append(out, Ignore{Line: lines.Pos(c.Start).Line, Codes: codes})
	}
	return out
}
