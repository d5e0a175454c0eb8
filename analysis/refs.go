package analysis

import (
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// RefKind says how a name is used.
type RefKind int

const (
	RefDecl      RefKind = iota // attribute("x")
	RefMapping                  // connIdAttribute("UID", "x")
	RefSupported                // supportedAttributes "x"
	RefFilter                   // attribute("x") in a search
	RefResolver                 // attributeResolver { attribute "x" }
	RefClass                    // objectClass("X")
)

// Ref is a place where a script names an attribute or a class.
type Ref struct {
	Abs   string
	Range workspace.Range
	Class *Class
	Name  string // the attribute's name, or the class's for RefClass
	Kind  RefKind
}

// Refs lists every name use in the scripts of a unit.
func (u *Unit) Refs() []Ref {
	var out []Ref
	add := func(s *dsl.Script, r workspace.Range, c *Class, name string, k RefKind) {
		if c != nil && name != "" {
			out = append(out, Ref{Abs: s.File.Abs, Range: r, Class: c, Name: name, Kind: k})
		}
	}
	for _, s := range u.Scripts {
		for _, cb := range s.Classes {
			var c *Class
			if cb.Role == dsl.RoleSchema {
				c = u.Class(cb.Name)
			} else {
				c = u.ClassFold(cb.Name)
			}
			add(s, cb.NameRange, c, cb.Name, RefClass)
			for _, a := range cb.Attributes {
				add(s, a.NameRange, c, a.Name, RefDecl)
			}
			for _, m := range cb.Mappings {
				if m.Via != "connId" {
					add(s, m.AttrRange, c, m.Attr, RefMapping)
				}
			}
			for _, op := range cb.Ops {
				for _, e := range op.Endpoints {
					for _, sa := range e.Supported {
						add(s, sa.Range, c, sa.Name, RefSupported)
					}
					for _, f := range e.Filters {
						add(s, f.Range, c, f.Name, RefFilter)
					}
				}
				for _, r := range op.Resolvers {
					add(s, r.Range, c, r.Name, RefResolver)
				}
			}
		}
		for _, rel := range s.Relationships {
			for _, p := range []*dsl.Participant{rel.Subject, rel.Object} {
				if p == nil {
					continue
				}
				c := u.Class(p.Class)
				add(s, p.ClassRange, c, p.Class, RefClass)
				if p.Attribute != nil {
					add(s, p.Attribute.NameRange, c, p.Attribute.Name, RefDecl)
				}
			}
		}
	}
	return out
}

// RefAt returns the name use at a position of a file, if any.
func (m *Model) RefAt(abs string, pos workspace.Pos) (Ref, bool) {
	u := m.UnitOf(abs)
	if u == nil {
		return Ref{}, false
	}
	for _, r := range u.Refs() {
		if r.Abs == abs && r.Range.Contains(pos) {
			return r, true
		}
	}
	return Ref{}, false
}
