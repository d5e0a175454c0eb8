package features

import (
	"fmt"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Hover is what a hover over a position shows, in Markdown.
type Hover struct {
	Markdown string
	Range    workspace.Range
}

// HoverAt describes the class or attribute named at pos, else the DSL
// name under it; ok is false where there is nothing to say.
func HoverAt(m *analysis.Model, abs string, pos workspace.Pos) (h Hover, ok bool) {
	if ref, found := m.RefAt(abs, pos); found {
		h.Range = ref.Range
		switch {
		case ref.Kind == analysis.RefClass:
			h.Markdown = classHover(ref.Class)
		case ref.Class.Attribute(ref.Name) != nil:
			h.Markdown = attributeHover(ref.Class.Attribute(ref.Name))
		default:
			h.Markdown = fmt.Sprintf("**%s** is not an attribute of %s", ref.Name, ref.Class.Name)
		}
		return h, true
	}
	word, r := wordAt(m, abs, pos)
	if word == "" {
		return h, false
	}
	sc := m.Scripts[abs]
	if sc == nil {
		return h, false
	}
	for _, block := range blocksAt(sc, pos) {
		if doc, found := dsl.MemberDoc(block, word); found && doc != "" {
			return Hover{Markdown: fmt.Sprintf("**%s** — %s\n\n%s", word, dsl.BlockDoc(block), doc), Range: r}, true
		}
	}
	return h, false
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
	start, end := off, off
	for start > 0 && isWordByte(f.Text[start-1]) {
		start--
	}
	for end < len(f.Text) && isWordByte(f.Text[end]) {
		end++
	}
	if start == end {
		return "", workspace.Range{}
	}
	return string(f.Text[start:end]), l.Range(start, end)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
