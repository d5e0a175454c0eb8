package features

import (
	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

// Definition goes from a use of an attribute or class to where the
// scripts declare it, or, for an attribute no script declares, to the
// lines of the documents that describe it.
func Definition(m *analysis.Model, abs string, pos workspace.Pos) []Location {
	ref, ok := m.RefAt(abs, pos)
	if !ok {
		return nil
	}
	var out []Location
	if ref.Kind == analysis.RefClass {
		for _, b := range ref.Class.Blocks {
			out = append(out, Location{Abs: b.Script.File.Abs, Range: b.NameRange})
		}
		return out
	}
	a := ref.Class.Attribute(ref.Name)
	if a == nil {
		return nil
	}
	for _, d := range a.Decls {
		if d.Script != nil {
			out = append(out, Location{Abs: d.Script.File.Abs, Range: d.NameRange})
		}
	}
	if len(out) > 0 {
		return out
	}
	u := m.UnitOf(abs)
	for _, src := range a.DocSources {
		line := max(src.Line-1, 0)
		p := workspace.Pos{Line: line}
		out = append(out, Location{Abs: docAbs(u, src.File), Range: workspace.Range{Start: p, End: p}})
	}
	return out
}

// docAbs returns the absolute path of a unit's document given by its
// workspace path.
func docAbs(u *analysis.Unit, path string) string {
	if u != nil {
		for _, f := range u.DocFiles {
			if f.Path == path {
				return f.Abs
			}
		}
	}
	return path
}

// References lists every use of the attribute or class under the cursor
// in the connector's scripts, with or without its declarations.
func References(m *analysis.Model, abs string, pos workspace.Pos, withDecls bool) []Location {
	ref, ok := m.RefAt(abs, pos)
	if !ok {
		return nil
	}
	var out []Location
	for _, r := range m.UnitOf(abs).Refs() {
		if r.Class != ref.Class || r.Name != ref.Name || (r.Kind == analysis.RefClass) != (ref.Kind == analysis.RefClass) {
			continue
		}
		if !withDecls && r.Kind == analysis.RefDecl {
			continue
		}
		out = append(out, Location{Abs: r.Abs, Range: r.Range})
	}
	return out
}
