package analysis

import (
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Excluding returns the class as it would be without what is written
// inside r of the file abs: its attribute declarations, mappings and
// endpoints there are dropped and the attributes' effective properties
// computed again. A generator looks at a class this way when it is about
// to replace the text at r, so that its own earlier output never feeds
// its next decision and generating again on its output changes nothing.
// The class itself is not changed.
func (c *Class) Excluding(abs string, r workspace.Range) *Class {
	inside := func(s *dsl.Script, x workspace.Range) bool {
		return s != nil && s.File.Abs == abs && r.Contains(x.Start) && r.Contains(x.End)
	}
	v := &Class{
		Name: c.Name, Blocks: c.Blocks, OpBlocks: c.OpBlocks, Docs: c.Docs, DocEndpoints: c.DocEndpoints,
		DocFiles: c.DocFiles, docPaths: c.docPaths, Embedded: c.Embedded,
		Scim: c.Scim, ScimServer: c.ScimServer, ScimDoc: c.ScimDoc, attrs: map[string]*Attribute{},
	}
	for _, a := range c.Attributes {
		var decls []*dsl.AttrDecl
		for _, d := range a.Decls {
			if !inside(d.Script, d.Range) {
				decls = append(decls, d)
			}
		}
		if len(decls) == 0 && len(a.Docs) == 0 {
			continue
		}
		na := v.attribute(a.Name)
		na.Decls, na.Docs, na.DocSources = decls, a.Docs, a.DocSources
	}
	for _, m := range c.Mappings {
		if m.Class == nil || !inside(m.Class.Script, m.Range) {
			v.Mappings = append(v.Mappings, m)
		}
	}
	for _, e := range c.Endpoints {
		if e.Op == nil || e.Op.Class == nil || !inside(e.Op.Class.Script, e.Range) {
			v.Endpoints = append(v.Endpoints, e)
		}
	}
	for _, a := range v.Attributes {
		a.settle()
	}
	return v
}
