package generate

import "github.com/connls/connls/analysis"

// What an Assistant (package generate/llm) needs of the deterministic
// generators to check and finish a revision the way they would.

// NameText says what NAME is mapped to, the copy of a single identifier
// included.
func (p *ConnIDPlan) NameText() string { return p.nameText() }

// Settle recomputes the parts of a plan that follow from its UID: the
// copy of a single identifier and the flags the UID needs.
func (p *ConnIDPlan) Settle(c *analysis.Class, uid *analysis.Attribute, single bool) {
	p.settle(c, uid, single)
}

// DeclaredAttributes are the attributes of c that a script declares:
// the only ones an update may list.
func DeclaredAttributes(c *analysis.Class) []*analysis.Attribute { return declared(c) }

// UIDOf is the attribute the framework fills {id} with: the mapped UID,
// else the one connls would map.
func UIDOf(c *analysis.Class) string { return identityOf(c).uid }

// ItemPath writes a documented item path with the {id} placeholder the
// framework fills.
func ItemPath(path string) string { return itemPath(path) }

// DocChunks are the parts of the unit's documentation about c, as a
// generation hands them to its Assistant.
func DocChunks(u *analysis.Unit, c *analysis.Class) []DocChunk { return docChunks(u, c) }
