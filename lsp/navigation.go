package lsp

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

func parseURI(s string) (uri.URI, error) { return uri.Parse(s) }

// Hover shows what connls knows of an attribute or class under the
// cursor, or the documentation of a DSL name.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	if m == nil || abs == "" {
		return nil, nil
	}
	pos := fromPos(params.Position)
	var text string
	var rng workspace.Range
	if ref, ok := m.RefAt(abs, pos); ok {
		rng = ref.Range
		if ref.Kind == analysis.RefClass {
			text = classHover(ref.Class)
		} else if a := ref.Class.Attribute(ref.Name); a != nil {
			text = attributeHover(a)
		} else {
			text = fmt.Sprintf("**%s** is not an attribute of %s", ref.Name, ref.Class.Name)
		}
	} else if word, wr := wordAt(m, abs, pos); word != "" {
		if doc := dslDoc(m, abs, pos, word); doc != "" {
			text, rng = doc, wr
		}
	}
	if text == "" {
		return nil, nil
	}
	r := toRange(rng)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: text}, Range: &r}, nil
}

func attributeHover(a *analysis.Attribute) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s.%s**", a.Class.Name, a.Name)
	if a.Type != "" {
		typ := a.Type
		if a.Format != "" {
			typ += " (" + a.Format + ")"
		}
		fmt.Fprintf(&b, " — %s", typ)
	}
	b.WriteString("\n\n")
	var flags []string
	for _, f := range []struct {
		name string
		on   bool
	}{{"readable", a.Readable}, {"creatable", a.Creatable}, {"updateable", a.Updateable}, {"required", a.Required}, {"multi-valued", a.MultiValued}} {
		key := strings.ReplaceAll(f.name, "multi-valued", "multiValued")
		mark := f.name
		if !f.on {
			mark = "not " + f.name
		}
		if o := a.Origin[key]; o != "" && o != "default" {
			mark += " (" + o + ")"
		}
		flags = append(flags, mark)
	}
	b.WriteString(strings.Join(flags, " · "))
	if a.Reference {
		b.WriteString(" · reference")
	}
	if a.Complex {
		b.WriteString(" · complex")
	}
	if uid, _ := a.Class.Mapped("UID"); uid == a.Name {
		b.WriteString("\n\nConnId **UID**")
	}
	if name, _ := a.Class.Mapped("NAME"); name == a.Name {
		b.WriteString("\n\nConnId **NAME**")
	}
	if a.Description != "" {
		b.WriteString("\n\n" + a.Description)
	}
	for _, d := range a.Decls {
		if d.Script != nil {
			fmt.Fprintf(&b, "\n\nDeclared in `%s:%d`", d.Script.File.Path, d.NameRange.Start.Line+1)
		}
	}
	for _, src := range a.DocSources {
		fmt.Fprintf(&b, "\n\nDocumented in `%s:%d` (%s)", src.File, src.Line, src.From)
	}
	return b.String()
}

func classHover(c *analysis.Class) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**object class %s**", c.Name)
	if c.Embedded {
		b.WriteString(" (embedded)")
	}
	uid, _ := c.Mapped("UID")
	name, _ := c.Mapped("NAME")
	fmt.Fprintf(&b, "\n\nUID: `%s` · NAME: `%s` · %d attributes", orNone(uid), orNone(name), len(c.Attributes))
	var eps []string
	for _, e := range c.Endpoints {
		if e.Path != "" {
			eps = append(eps, fmt.Sprintf("%s %s %s", e.Operation, e.Method, e.Path))
		}
	}
	if len(eps) > 0 {
		b.WriteString("\n\n" + strings.Join(eps, "  \n"))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "not mapped"
	}
	return s
}

// wordAt returns the identifier under a position.
func wordAt(m *analysis.Model, abs string, pos workspace.Pos) (string, workspace.Range) {
	f := m.Snapshot.File(abs)
	if f == nil {
		return "", workspace.Range{}
	}
	l := f.Lines()
	off := l.Offset(pos)
	isWord := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	start, end := off, off
	for start > 0 && isWord(f.Text[start-1]) {
		start--
	}
	for end < len(f.Text) && isWord(f.Text[end]) {
		end++
	}
	if start == end {
		return "", workspace.Range{}
	}
	return string(f.Text[start:end]), l.Range(start, end)
}

// dslDoc documents a DSL name in the block at the position.
func dslDoc(m *analysis.Model, abs string, pos workspace.Pos, word string) string {
	sc := m.Scripts[abs]
	if sc == nil {
		return ""
	}
	for _, block := range blocksAt(sc, pos) {
		if doc, ok := analysis.MemberDoc(block, word); ok && doc != "" {
			return fmt.Sprintf("**%s** — %s\n\n%s", word, analysis.BlockDoc(block), doc)
		}
	}
	return ""
}

// blocksAt lists the DSL blocks around a position, innermost first, then
// the script's top level.
func blocksAt(sc *analysis.Script, pos workspace.Pos) []string {
	var scopes []analysis.Scope
	for _, s := range sc.Scopes {
		if s.Range.Contains(pos) {
			scopes = append(scopes, s)
		}
	}
	sort.SliceStable(scopes, func(i, j int) bool { return scopes[j].Range.Start.Before(scopes[i].Range.Start) })
	var out []string
	for _, s := range scopes {
		out = append(out, s.Block)
	}
	if sc.Role == analysis.RoleSchema {
		out = append(out, "schema")
	} else {
		out = append(out, "operation")
	}
	return out
}

// Definition goes from a use of an attribute or class to where the
// scripts declare it, or the documents describe it.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	if m == nil || abs == "" {
		return protocol.LocationSlice{}, nil
	}
	ref, ok := m.RefAt(abs, fromPos(params.Position))
	if !ok {
		return protocol.LocationSlice{}, nil
	}
	var out protocol.LocationSlice
	if ref.Kind == analysis.RefClass {
		for _, b := range ref.Class.Blocks {
			out = append(out, protocol.Location{URI: fileURI(b.Script.File.Abs), Range: toRange(b.NameRange)})
		}
		return out, nil
	}
	a := ref.Class.Attribute(ref.Name)
	if a == nil {
		return out, nil
	}
	for _, d := range a.Decls {
		if d.Script != nil {
			out = append(out, protocol.Location{URI: fileURI(d.Script.File.Abs), Range: toRange(d.NameRange)})
		}
	}
	if len(out) == 0 {
		for _, src := range a.DocSources {
			line := uint32(max(src.Line-1, 0))
			r := protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line}}
			out = append(out, protocol.Location{URI: fileURI(docAbs(m, m.UnitOf(abs), src.File)), Range: r})
		}
	}
	return out, nil
}

func docAbs(m *analysis.Model, u *analysis.Unit, path string) string {
	for _, f := range u.DocFiles {
		if f.Path == path {
			return f.Abs
		}
	}
	return path
}

// References lists every use of the attribute or class under the cursor
// in the connector's scripts.
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	out := []protocol.Location{}
	if m == nil || abs == "" {
		return out, nil
	}
	ref, ok := m.RefAt(abs, fromPos(params.Position))
	if !ok {
		return out, nil
	}
	for _, r := range m.UnitOf(abs).Refs() {
		if r.Class != ref.Class || r.Name != ref.Name || (r.Kind == analysis.RefClass) != (ref.Kind == analysis.RefClass) {
			continue
		}
		if !params.Context.IncludeDeclaration && r.Kind == analysis.RefDecl {
			continue
		}
		out = append(out, protocol.Location{URI: fileURI(r.Abs), Range: toRange(r.Range)})
	}
	return out, nil
}

// DocumentSymbol outlines a script: classes, their attributes and
// operations with endpoints.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	if m == nil || m.Scripts[abs] == nil {
		return protocol.DocumentSymbolSlice{}, nil
	}
	sc := m.Scripts[abs]
	var syms protocol.DocumentSymbolSlice
	for _, cb := range sc.Classes {
		class := protocol.DocumentSymbol{Name: cb.Name, Kind: protocol.SymbolKindClass, Range: toRange(cb.Range), SelectionRange: toRange(cb.NameRange)}
		for _, a := range cb.Attributes {
			class.Children = append(class.Children, protocol.DocumentSymbol{Name: a.Name, Kind: protocol.SymbolKindField, Range: toRange(a.Range), SelectionRange: toRange(a.NameRange)})
		}
		for _, mp := range cb.Mappings {
			d := "→ " + mp.Attr
			class.Children = append(class.Children, protocol.DocumentSymbol{Name: mp.ConnID, Detail: &d, Kind: protocol.SymbolKindKey, Range: toRange(mp.Range), SelectionRange: toRange(mp.Range)})
		}
		for _, op := range cb.Ops {
			o := protocol.DocumentSymbol{Name: op.Kind, Kind: protocol.SymbolKindMethod, Range: toRange(op.Range), SelectionRange: toRange(op.Range)}
			for _, e := range op.Endpoints {
				name := strings.TrimSpace(e.Method + " " + e.Path)
				if name == "" {
					name = "custom"
				}
				o.Children = append(o.Children, protocol.DocumentSymbol{Name: name, Kind: protocol.SymbolKindFunction, Range: toRange(e.Range), SelectionRange: toRange(e.Range)})
			}
			class.Children = append(class.Children, o)
		}
		syms = append(syms, class)
	}
	for _, rel := range sc.Relationships {
		syms = append(syms, protocol.DocumentSymbol{Name: rel.Name, Kind: protocol.SymbolKindInterface, Range: toRange(rel.Range), SelectionRange: toRange(rel.Range)})
	}
	s.mu.Lock()
	hier := s.caps.hierarchicalSymbol
	s.mu.Unlock()
	if hier {
		return syms, nil
	}
	var flat protocol.SymbolInformationSlice
	var walk func([]protocol.DocumentSymbol, string)
	walk = func(list []protocol.DocumentSymbol, container string) {
		for _, d := range list {
			si := protocol.SymbolInformation{BaseSymbolInformation: protocol.BaseSymbolInformation{Name: d.Name, Kind: d.Kind},
				Location: protocol.Location{URI: fileURI(abs), Range: d.Range}}
			if container != "" {
				si.ContainerName = &container
			}
			flat = append(flat, si)
			walk(d.Children, d.Name)
		}
	}
	walk(syms, "")
	return flat, nil
}

// Completion offers, depending on where the cursor is: ConnId names in
// connIdAttribute, the class's attribute names in mappings and
// supportedAttributes, jsonType and openApiFormat values, and the DSL
// names of the block.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	abs := fileOf(params.TextDocument.URI)
	snap, m := s.currentModel(ctx)
	empty := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	if m == nil || abs == "" || snap.File(abs) == nil {
		return empty, nil
	}
	f := snap.File(abs)
	pos := fromPos(params.Position)
	off := f.Lines().Offset(pos)
	line := string(f.Text[f.Lines().LineStart(pos.Line):off])
	sc := m.Scripts[abs]
	class := classAt(m, abs, pos)
	var c *analysis.Class
	if u := m.UnitOf(abs); u != nil && class != "" {
		c = u.ClassFold(class)
	}
	items := completionItems(line, sc, c, pos)
	return &protocol.CompletionList{Items: items}, nil
}

// inString reports whether the line ends inside a string literal, and
// the text of the statement before it.
func inString(line string) bool {
	q := byte(0)
	for i := 0; i < len(line); i++ {
		switch {
		case q == 0 && (line[i] == '"' || line[i] == '\''):
			q = line[i]
		case q != 0 && line[i] == '\\':
			i++
		case q != 0 && line[i] == q:
			q = 0
		}
	}
	return q != 0
}

func completionItems(line string, sc *analysis.Script, c *analysis.Class, pos workspace.Pos) []protocol.CompletionItem {
	items := []protocol.CompletionItem{}
	add := func(label string, kind protocol.CompletionItemKind, detail string) {
		it := protocol.CompletionItem{Label: label, Kind: kind}
		if detail != "" {
			it.Detail = protocol.NewOptional(detail)
		}
		items = append(items, it)
	}
	trim := strings.TrimSpace(line)
	attrs := func() {
		if c == nil {
			return
		}
		for _, a := range c.Attributes {
			if len(a.Decls) == 0 && strings.Contains(a.Name, ".") {
				continue
			}
			d := a.Type
			if len(a.Decls) == 0 {
				d += " (documented)"
			}
			add(a.Name, protocol.CompletionItemKindField, strings.TrimSpace(d))
		}
	}
	if inString(line) {
		switch {
		case strings.HasPrefix(trim, "connIdAttribute") && strings.Count(trim, ",") == 0:
			add("UID", protocol.CompletionItemKindConstant, "the resource's unique identifier")
			add("NAME", protocol.CompletionItemKindConstant, "the human-readable identifier")
		case strings.HasPrefix(trim, "connIdAttribute"), strings.HasPrefix(trim, "supportedAttribute"),
			strings.HasPrefix(trim, "attribute"), strings.HasPrefix(trim, "attributes"), strings.Contains(trim, "attribute("):
			attrs()
		case strings.HasPrefix(trim, "jsonType"), strings.HasPrefix(trim, "type"):
			for _, t := range analysis.JSONTypes() {
				add(t, protocol.CompletionItemKindEnumMember, "jsonType")
			}
		case strings.HasPrefix(trim, "openApiFormat"):
			for _, t := range analysis.OpenAPIFormats() {
				add(t, protocol.CompletionItemKindEnumMember, "openApiFormat")
			}
		}
		return items
	}
	if sc == nil {
		return items
	}
	// At the start of a statement: the names of the enclosing blocks.
	word := strings.TrimLeft(trim, "{;")
	if strings.ContainsAny(word, " (\"'") {
		// After a name: boolean and constant values.
		for _, v := range []string{"true", "false"} {
			add(v, protocol.CompletionItemKindValue, "")
		}
		for _, block := range blocksAt(sc, pos) {
			for _, k := range analysis.BlockConstants(block) {
				add(k, protocol.CompletionItemKindConstant, analysis.BlockDoc(block))
			}
		}
		return items
	}
	seen := map[string]bool{}
	for _, block := range blocksAt(sc, pos) {
		for _, name := range analysis.BlockMembers(block) {
			if seen[name] {
				continue
			}
			seen[name] = true
			doc, _ := analysis.MemberDoc(block, name)
			it := protocol.CompletionItem{Label: name, Kind: protocol.CompletionItemKindMethod, Detail: protocol.NewOptional(analysis.BlockDoc(block))}
			if doc != "" {
				it.Documentation = protocol.String(doc)
			}
			items = append(items, it)
		}
	}
	return items
}
