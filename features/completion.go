package features

import (
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// CompletionKind says what a completion inserts.
type CompletionKind int

const (
	CompleteMember    CompletionKind = iota // a DSL method of the block at the cursor
	CompleteBlock                           // a DSL method that opens a block
	CompleteAttribute                       // an attribute name of the class
	CompleteConstant                        // a bare constant (UID, SUBJECT, GET)
	CompleteValue                           // true or false
	CompleteEnum                            // a jsonType or openApiFormat value
)

// Completion is one completion item. Snippet, when set, is an LSP
// snippet to insert instead of the label.
type Completion struct {
	Label, Detail, Doc string
	Kind               CompletionKind
	Snippet            string
}

// Complete offers what fits at pos: inside a string, the ConnId names,
// the class's attribute names or the jsonType and openApiFormat values
// the call expects; after a DSL name, the values its argument takes; at
// the start of a statement, the methods of the builder at the cursor
// (not those of enclosing blocks, which Groovy would also resolve but
// which belong elsewhere), with snippets for blocks.
func Complete(m *analysis.Model, abs string, pos workspace.Pos) []Completion {
	f := m.Snapshot.File(abs)
	if f == nil {
		return nil
	}
	off := f.Lines().Offset(pos)
	line := string(f.Text[f.Lines().LineStart(pos.Line):off])
	sc := m.Scripts[abs]
	var c *analysis.Class
	if u := m.UnitOf(abs); u != nil {
		if name := ClassAt(m, abs, pos); name != "" {
			c = u.ClassFold(name)
		}
	}
	trim := strings.TrimSpace(line)
	if inString(line) {
		return completeInString(trim, c)
	}
	if sc == nil {
		return nil
	}
	blocks := blocksAt(sc, pos)
	// The statement so far, with its trailing space: "readable " is past
	// the name.
	word := strings.TrimLeft(strings.TrimLeft(line, " \t"), "{;")
	if strings.ContainsAny(word, " (\"'") {
		return completeArgument(word, blocks)
	}
	return completeStatement(blocks[0])
}

func completeInString(trim string, c *analysis.Class) []Completion {
	var out []Completion
	switch {
	case strings.HasPrefix(trim, "connIdAttribute") && strings.Count(trim, ",") == 0:
		out = append(out, Completion{Label: "UID", Kind: CompleteConstant, Detail: "the resource's unique identifier"},
			Completion{Label: "NAME", Kind: CompleteConstant, Detail: "the human-readable identifier"})
	case strings.HasPrefix(trim, "connIdAttribute"), strings.HasPrefix(trim, "supportedAttribute"),
		strings.HasPrefix(trim, "attribute"), strings.Contains(trim, "attribute("):
		out = attributeNames(c)
	case strings.HasPrefix(trim, "jsonType"), strings.HasPrefix(trim, "type"):
		for _, t := range dsl.JSONTypes() {
			out = append(out, Completion{Label: t, Kind: CompleteEnum, Detail: "jsonType"})
		}
	case strings.HasPrefix(trim, "openApiFormat"):
		for _, t := range dsl.OpenAPIFormats() {
			out = append(out, Completion{Label: t, Kind: CompleteEnum, Detail: "openApiFormat"})
		}
	}
	return out
}

// attributeNames lists the attributes of a class, declared or only
// documented (nested documented names such as a.b are left out).
func attributeNames(c *analysis.Class) []Completion {
	if c == nil {
		return nil
	}
	var out []Completion
	for _, a := range c.Attributes {
		if len(a.Decls) == 0 && strings.Contains(a.Name, ".") {
			continue
		}
		d := a.Type
		if len(a.Decls) == 0 {
			d += " (documented)"
		}
		out = append(out, Completion{Label: a.Name, Kind: CompleteAttribute, Detail: strings.TrimSpace(d), Doc: a.Description})
	}
	return out
}

// completeArgument offers the values of the first argument of the
// statement's DSL name, as the innermost block that knows the name
// declares it.
func completeArgument(word string, blocks []string) []Completion {
	name := word
	if i := strings.IndexAny(word, " (\"'"); i >= 0 {
		name = word[:i]
	}
	kind := "any"
	for _, b := range blocks {
		if k := dsl.MemberFirstArg(b, name); k != "" {
			kind = k
			break
		}
	}
	var out []Completion
	if kind == "bool" || kind == "any" {
		out = append(out, Completion{Label: "true", Kind: CompleteValue}, Completion{Label: "false", Kind: CompleteValue})
	}
	if kind == "const" || kind == "any" {
		seen := map[string]bool{}
		for _, b := range blocks {
			for _, k := range dsl.BlockConstants(b) {
				if !seen[k] {
					seen[k] = true
					out = append(out, Completion{Label: k, Kind: CompleteConstant, Detail: dsl.BlockDoc(b)})
				}
			}
		}
	}
	return out
}

// completeStatement offers the methods of one block.
func completeStatement(block string) []Completion {
	var out []Completion
	for _, name := range dsl.BlockMembers(block) {
		doc, _ := dsl.MemberDoc(block, name)
		kind := CompleteMember
		if dsl.MemberTakesBlock(block, name) {
			kind = CompleteBlock
		}
		out = append(out, Completion{Label: name, Kind: kind, Detail: dsl.BlockDoc(block), Doc: doc, Snippet: dsl.MemberSnippet(block, name)})
	}
	return out
}

// inString reports whether the line ends inside a string literal.
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

// blocksAt lists the DSL blocks around a position, innermost first, then
// the script's top level; never empty.
func blocksAt(sc *dsl.Script, pos workspace.Pos) []string {
	var scopes []dsl.Scope
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
	if sc.Role == dsl.RoleSchema {
		out = append(out, "schema")
	} else {
		out = append(out, "operation")
	}
	return out
}

// ClassAt finds the class a position of a script is about: the class of
// the block at the cursor, else the file's first class, else the class
// its name suggests.
func ClassAt(m *analysis.Model, abs string, pos workspace.Pos) string {
	if sc := m.Scripts[abs]; sc != nil {
		if scope, ok := sc.ScopeAt(pos); ok && scope.Class != "" {
			return scope.Class
		}
		for _, cb := range sc.Classes {
			if cb.Range.Contains(pos) {
				return cb.Name
			}
		}
		if len(sc.Classes) > 0 {
			return sc.Classes[0].Name
		}
	}
	return dsl.ClassHint(abs)
}
