package analysis

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/analysis/dsl"
)

// Class is an object class of a connector, merged by name from every
// script that configures it and every document that describes it.
type Class struct {
	Name         string
	Blocks       []*dsl.ClassBlock // schema blocks, in load order
	OpBlocks     []*dsl.ClassBlock // operation blocks (matched ignoring case)
	Attributes   []*Attribute
	Mappings     []*dsl.Mapping
	Endpoints    []*dsl.Endpoint // from operation scripts
	Docs         []*docs.Class
	DocEndpoints []DocEndpoint
	DocFiles     []string // documents that describe the class
	docPaths     []string // the document of each of Docs
	Embedded     bool
	Scim         bool // a scim {} block configures the class
	// ScimServer is set when the class's schema may come from a SCIM
	// server's /Schemas at run time: it has a scim {} block, a SCIM
	// document describes it, or its connector uses SCIM and the workspace
	// has no SCIM document to tell which classes the server has. The SCIM
	// translator then maps id to UID (dsl.md §6).
	ScimServer bool
	// ScimDoc is set when a SCIM schema document describes the class.
	ScimDoc bool
	attrs   map[string]*Attribute
}

// Attribute is an attribute of a class with its effective properties:
// what the scripts declare wins, the docs fill in the rest, defaults
// apply last.
type Attribute struct {
	Name                                                                      string
	Class                                                                     *Class
	Decls                                                                     []*dsl.AttrDecl
	Docs                                                                      []*docs.Attribute
	DocSources                                                                []dsl.Source // where each of Docs comes from
	Type                                                                      string
	Format                                                                    string
	Description                                                               string
	Readable, Creatable, Updateable, Required, MultiValued, ReturnedByDefault bool
	Reference, Complex, Emulated                                              bool
	// Origin tells, per property, where the effective value came from:
	// "script", "doc" or "default".
	Origin map[string]string
}

// DocEndpoint is an endpoint a document describes, with its source.
type DocEndpoint struct {
	*docs.Endpoint
	Source dsl.Source
	// Base is the path of the base address the document's paths are
	// relative to ("/api/v3"; "" for a page): see Unit.ScriptPath.
	Base string
}

// Attribute returns the attribute with the exact name, or nil.
func (c *Class) Attribute(name string) *Attribute { return c.attrs[name] }

// HasScripts reports whether any script configures the class.
func (c *Class) HasScripts() bool { return len(c.Blocks) > 0 || len(c.OpBlocks) > 0 }

// Declared reports whether the class has a schema (script or document)
// that declares its attributes.
func (c *Class) Declared() bool {
	for _, a := range c.Attributes {
		if len(a.Decls) > 0 {
			return true // in a schema block, or as a relationship participant
		}
	}
	return len(c.Docs) > 0
}

// Mapped returns the attribute a ConnId name ("UID", "NAME") is mapped
// to, and the mapping; "" when it is not mapped.
func (c *Class) Mapped(connID string) (string, *dsl.Mapping) {
	for _, m := range c.Mappings {
		if m.ConnID == connID && m.Args >= 2 {
			return m.Attr, m
		}
	}
	return "", nil
}

func (c *Class) attribute(name string) *Attribute {
	a := c.attrs[name]
	if a == nil {
		a = &Attribute{Name: name, Class: c, Origin: map[string]string{}}
		c.attrs[name] = a
		c.Attributes = append(c.Attributes, a)
	}
	return a
}

// classPlan is what goes into one class: its blocks, the participant
// attributes of relationships, and the document classes and endpoints
// that describe it. Unchanged files keep their readings (the same
// pointers), so an unchanged plan means an unchanged class, and the class
// built from it before is reused: an edit re-merges only the classes it
// touches.
type classPlan struct {
	name      string
	blocks    []*dsl.ClassBlock
	parts     []*dsl.AttrDecl
	opBlocks  []*dsl.ClassBlock
	docs      []planDoc
	endpoints []DocEndpoint
	scimNames []string // scim { name } and schema URIs of the blocks
	// scimUnit: the connector uses SCIM and no SCIM document says which
	// classes the server has, so any class may come from it.
	scimUnit bool
}

type planDoc struct {
	class        *docs.Class
	path, format string
}

func (p *classPlan) same(q *classPlan) bool {
	if p.name != q.name || p.scimUnit != q.scimUnit || len(p.blocks) != len(q.blocks) || len(p.parts) != len(q.parts) || len(p.opBlocks) != len(q.opBlocks) ||
		len(p.docs) != len(q.docs) || len(p.endpoints) != len(q.endpoints) {
		return false
	}
	for i := range p.blocks {
		if p.blocks[i] != q.blocks[i] {
			return false
		}
	}
	for i := range p.parts {
		if p.parts[i] != q.parts[i] {
			return false
		}
	}
	for i := range p.opBlocks {
		if p.opBlocks[i] != q.opBlocks[i] {
			return false
		}
	}
	for i := range p.docs {
		if p.docs[i] != q.docs[i] {
			return false
		}
	}
	for i := range p.endpoints {
		if p.endpoints[i] != q.endpoints[i] {
			return false
		}
	}
	return true
}

// classMemo remembers a class and the plan it was built from.
type classMemo struct {
	plan  *classPlan
	class *Class
}

// builtUnit is what building a unit's classes made, with what it was made
// of: while that is the same, so are the classes.
type builtUnit struct {
	in      planInputs
	plans   []*classPlan
	classes []*Class // by name
	byName  map[string]*Class
	memo    map[string]classMemo
}

// planInputs is all a unit's plan reads: its loaded scripts in load
// order, its documents with the paths and formats they are merged under,
// and whether any class may come from SCIM. Readings are the same objects
// while their files are unchanged (and blocks of an open document's
// unchanged statements are reused), so equal inputs make an equal plan:
// an edit of a script the unit does not load, the usual case for the
// document open in an editor, leaves its classes as they were.
type planInputs struct {
	scripts []*dsl.Script
	docs    []planDoc // class unset: the document's path and format
	ofDocs  []*docs.Doc
	scim    bool
}

func (u *Unit) planInputs() planInputs {
	if u.in != nil {
		return *u.in
	}
	in := planInputs{scripts: make([]*dsl.Script, 0, len(u.Scripts)), scim: u.usesScim()}
	for _, s := range u.Scripts {
		if u.loaded(s) {
			in.scripts = append(in.scripts, s)
		}
	}
	for _, d := range u.Docs {
		in.ofDocs = append(in.ofDocs, d)
		in.docs = append(in.docs, planDoc{path: u.docPath(d), format: d.Format})
	}
	return in
}

func (in planInputs) equal(other planInputs) bool {
	return in.scim == other.scim && slices.Equal(in.scripts, other.scripts) &&
		slices.Equal(in.ofDocs, other.ofDocs) && slices.Equal(in.docs, other.docs)
}

// build merges the unit's scripts and docs into classes. When the plan's
// inputs are those of prev, its classes are the unit's; otherwise a class
// is reused from the first of others, then prev, that built it from the
// same plan.
func (u *Unit) build(prev *builtUnit, others ...*builtUnit) *builtUnit {
	in := u.planInputs()
	if checkIncremental && u.in != nil {
		carried := u.in
		u.in = nil
		if !u.planInputs().equal(in) {
			panic("analysis: the carried plan inputs of " + u.Dir + " differ from its own")
		}
		u.in = carried
	}
	if prev != nil && prev.in.equal(in) {
		u.Classes, u.byName = prev.classes, prev.byName
		return prev
	}
	built := append(others[:len(others):len(others)], prev)
	if plans := prev.replan(in); plans != nil {
		if checkIncremental {
			checkPlans(plans, u.plan(in))
		}
		if next := u.rebuild(prev, in, plans, built); next != nil {
			return next
		}
	}
	plans := u.plan(in)
	next := make(map[string]classMemo, len(plans))
	if len(u.byName) == 0 {
		u.byName = make(map[string]*Class, len(plans))
	}
	u.Classes = slices.Grow(u.Classes, len(plans))
	for _, p := range plans {
		c := classFor(p, built)
		next[p.name] = classMemo{plan: p, class: c}
		u.Classes = append(u.Classes, c)
		u.byName[c.Name] = c
	}
	slices.SortStableFunc(u.Classes, func(a, b *Class) int { return strings.Compare(a.Name, b.Name) })
	return &builtUnit{in: in, plans: plans, classes: u.Classes, byName: u.byName, memo: next}
}

// classFor returns the class the first of built made from the same plan,
// else a new one.
func classFor(p *classPlan, built []*builtUnit) *Class {
	if c := reuse(p, built); c != nil {
		return c
	}
	return buildClass(p)
}

// reuse returns the class the first of built made from the same plan,
// or nil.
func reuse(p *classPlan, built []*builtUnit) *Class {
	for _, b := range built {
		if b == nil {
			continue
		}
		if m, ok := b.memo[p.name]; ok && (m.plan == p || m.plan.same(p)) {
			return m.class
		}
	}
	return nil
}

// rebuild builds the classes of plans that replan derived from prev's:
// the same classes but those whose plans changed.
func (u *Unit) rebuild(prev *builtUnit, in planInputs, plans []*classPlan, built []*builtUnit) *builtUnit {
	next := &builtUnit{in: in, plans: plans, classes: prev.classes, byName: prev.byName, memo: prev.memo}
	copied := false
	for i, p := range plans {
		if p == prev.plans[i] {
			continue
		}
		if !copied {
			next.classes, next.byName, next.memo = slices.Clone(prev.classes), maps.Clone(prev.byName), maps.Clone(prev.memo)
			copied = true
		}
		old := prev.memo[p.name].class
		k, _ := slices.BinarySearchFunc(next.classes, p.name, func(c *Class, name string) int { return strings.Compare(c.Name, name) })
		if k >= len(next.classes) || next.classes[k] != old {
			// Not expected (a plan is named as its class): build the
			// unit afresh rather than guess.
			if checkIncremental {
				panic("analysis: a replanned class is not where it was")
			}
			return nil
		}
		c := classFor(p, built)
		next.classes[k] = c
		next.byName[p.name] = c
		next.memo[p.name] = classMemo{plan: p, class: c}
	}
	u.Classes, u.byName = next.classes, next.byName
	return next
}

// replan derives the plans of in from those of b when they differ only
// in readings of scripts that declare the same classes by the same names
// (an edit inside a class, the usual case): the plans are b's with the
// new blocks in place of the old. It returns nil when it cannot.
func (b *builtUnit) replan(in planInputs) []*classPlan {
	if b == nil || b.plans == nil || len(in.scripts) != len(b.in.scripts) || in.scim != b.in.scim ||
		!slices.Equal(in.ofDocs, b.in.ofDocs) || !slices.Equal(in.docs, b.in.docs) {
		return nil
	}
	sub := substitution{}
	for i, s := range in.scripts {
		if o := b.in.scripts[i]; o != s && !sub.add(o, s) {
			return nil
		}
	}
	if len(sub.blocks)+len(sub.decls) == 0 {
		return b.plans
	}
	plans := make([]*classPlan, len(b.plans))
	for i, p := range b.plans {
		plans[i] = sub.apply(p)
	}
	return plans
}

// substitution maps the blocks and participant attributes of old readings
// of scripts to those of the new ones.
type substitution struct {
	blocks map[*dsl.ClassBlock]*dsl.ClassBlock
	decls  map[*dsl.AttrDecl]*dsl.AttrDecl
}

// add maps the blocks of o to those of s, and reports whether the plan
// reads the same of both: the classes and relationships, in the same
// order, with the same roles, names and SCIM names.
func (sub *substitution) add(o, s *dsl.Script) bool {
	if len(o.Classes) != len(s.Classes) || len(o.Relationships) != len(s.Relationships) {
		return false
	}
	for k, cb := range s.Classes {
		ocb := o.Classes[k]
		if ocb == cb {
			continue
		}
		if ocb.Role != cb.Role || ocb.Name != cb.Name || !slices.Equal(scimNames(ocb), scimNames(cb)) {
			return false
		}
		if sub.blocks == nil {
			sub.blocks = map[*dsl.ClassBlock]*dsl.ClassBlock{}
		}
		if have, ok := sub.blocks[ocb]; ok && have != cb {
			return false
		}
		sub.blocks[ocb] = cb
	}
	for k, r := range s.Relationships {
		or := o.Relationships[k]
		if or == r {
			continue
		}
		for j, part := range []*dsl.Participant{r.Subject, r.Object} {
			opart := [2]*dsl.Participant{or.Subject, or.Object}[j]
			if (part == nil) != (opart == nil) {
				return false
			}
			if part == nil {
				continue
			}
			if part.Class != opart.Class || (part.Attribute == nil) != (opart.Attribute == nil) {
				return false
			}
			if part.Attribute == opart.Attribute {
				continue
			}
			if sub.decls == nil {
				sub.decls = map[*dsl.AttrDecl]*dsl.AttrDecl{}
			}
			if have, ok := sub.decls[opart.Attribute]; ok && have != part.Attribute {
				return false
			}
			sub.decls[opart.Attribute] = part.Attribute
		}
	}
	return true
}

// scimNames are the values of a block's properties the plan indexes.
func scimNames(cb *dsl.ClassBlock) []string {
	var out []string
	for _, pr := range cb.Props {
		switch pr.Name {
		case "scim.name", "scim.schemaUri", "scim.extension":
			out = append(out, pr.Value)
		}
	}
	return out
}

// apply returns p with the new blocks in place of the old, or p itself
// when it holds none of them.
func (sub *substitution) apply(p *classPlan) *classPlan {
	var q *classPlan
	dup := func() {
		if q == nil {
			c := *p
			c.blocks, c.parts, c.opBlocks = slices.Clone(p.blocks), slices.Clone(p.parts), slices.Clone(p.opBlocks)
			q = &c
		}
	}
	for i, cb := range p.blocks {
		if n, ok := sub.blocks[cb]; ok {
			dup()
			q.blocks[i] = n
		}
	}
	for i, cb := range p.opBlocks {
		if n, ok := sub.blocks[cb]; ok {
			dup()
			q.opBlocks[i] = n
		}
	}
	for i, d := range p.parts {
		if n, ok := sub.decls[d]; ok {
			dup()
			q.parts[i] = n
		}
	}
	if q == nil {
		return p
	}
	return q
}

// checkIncremental makes the derived plans checked against plans made
// from scratch (in tests: a difference panics).
var checkIncremental = false

func checkPlans(got, want []*classPlan) {
	if len(got) != len(want) {
		panic(fmt.Sprintf("analysis: replan made %d plans, plan %d", len(got), len(want)))
	}
	for i := range got {
		if !got[i].same(want[i]) || !slices.Equal(got[i].scimNames, want[i].scimNames) {
			panic(fmt.Sprintf("analysis: replanned class %s differs from its plan", want[i].name))
		}
	}
}

// plan assigns every block, participant and document class to its class.
func (u *Unit) plan(in planInputs) []*classPlan {
	// Sized for a class per script, about what connectors have: the
	// maps are made again after every edit.
	order := make([]*classPlan, 0, len(u.Scripts))
	byName := make(map[string]*classPlan, len(u.Scripts))
	get := func(name string) *classPlan {
		p := byName[name]
		if p == nil {
			p = &classPlan{name: name}
			byName[name] = p
			order = append(order, p)
		}
		return p
	}
	// Only scripts the framework loads shape the classes: an unlisted
	// script is checked, but what it declares does not exist at run time.
	scripts := in.scripts
	// Schema scripts first: they define classes (exact names).
	for _, s := range scripts {
		for _, cb := range s.Classes {
			if cb.Role != dsl.RoleSchema || cb.Name == "" {
				continue
			}
			p := get(cb.Name)
			p.blocks = append(p.blocks, cb)
			p.scimNames = append(p.scimNames, scimNames(cb)...)
		}
		for _, rel := range s.Relationships {
			for _, part := range []*dsl.Participant{rel.Subject, rel.Object} {
				if part == nil || part.Class == "" {
					continue
				}
				p := get(part.Class)
				if part.Attribute != nil {
					p.parts = append(p.parts, part.Attribute)
				}
			}
		}
	}
	idx := newNameIndex(order)
	// Operation scripts match schema classes ignoring case.
	for _, s := range scripts {
		for _, cb := range s.Classes {
			if cb.Role == dsl.RoleSchema || cb.Name == "" {
				continue
			}
			p := idx.fold(cb.Name)
			if p == nil {
				p = get(cb.Name)
				idx.add(p)
			}
			p.opBlocks = append(p.opBlocks, cb)
		}
	}
	// SCIM schemas and the resource types that use them may come from
	// different documents: index the schemas by URI.
	byURI := map[string]planDoc{}
	for _, d := range u.Docs {
		for _, dc := range d.Classes {
			if dc.Schema != "" && len(dc.Attributes) > 0 {
				byURI[dc.Schema] = planDoc{dc, u.docPath(d), d.Format}
			}
		}
	}
	addDoc := func(p *classPlan, pd planDoc) {
		for _, have := range p.docs {
			if have.class == pd.class {
				return
			}
		}
		p.docs = append(p.docs, pd)
	}
	for _, d := range u.Docs {
		path := u.docPath(d)
		for _, dc := range d.Classes {
			p := idx.doc(dc)
			if p == nil {
				if !dc.Resource {
					continue
				}
				p = get(dc.Name)
				idx.add(p)
			}
			if dc.Resource && len(dc.Attributes) == 0 {
				// A resource type: its attributes are in its schemas.
				for _, uri := range append([]string{dc.Schema}, dc.Extensions...) {
					if sc, ok := byURI[uri]; ok && idx.doc(sc.class) != p {
						addDoc(p, sc)
					}
				}
			}
			addDoc(p, planDoc{dc, path, d.Format})
		}
		for _, e := range d.Endpoints {
			if e.Class == "" {
				continue
			}
			if p := idx.match(e.Class); p != nil {
				p.endpoints = append(p.endpoints, DocEndpoint{Endpoint: e, Source: dsl.Source{File: path, Line: e.Line, From: d.Format}, Base: d.BasePath})
			}
		}
	}
	for _, p := range order {
		p.scimUnit = in.scim
	}
	// SCIM schema extensions add to the class they extend, whichever
	// document holds it (enterpriseUser.json beside user.json). An
	// extension whose core schema no document of the unit describes
	// still tells that the class exists (a SCIM server with the
	// enterprise extension has users) and what it adds to it.
	described := map[string]bool{}
	for _, d := range u.Docs {
		for _, dc := range d.Classes {
			if dc.Extends == "" {
				described[dc.Name] = true
			}
		}
	}
	for _, d := range u.Docs {
		for _, dc := range d.Classes {
			if dc.Extends == "" {
				continue
			}
			p := idx.match(dc.Extends)
			if p == nil && !described[dc.Extends] && len(dc.Attributes) > 0 {
				p = get(dc.Extends)
				idx.add(p)
			}
			if p != nil {
				addDoc(p, planDoc{dc, u.docPath(d), d.Format})
			}
		}
	}
	return order
}

// usesScim reports whether the unit's connector talks to a SCIM server
// whose classes connls cannot see: a script or the module's Java
// configures SCIM, and no SCIM document is at hand.
func (u *Unit) usesScim() bool {
	for _, d := range u.Docs {
		if d.Format == docs.FormatSCIM {
			return false
		}
	}
	for _, s := range u.Scripts {
		if s.Scim {
			return true
		}
	}
	return u.javaScim
}

// nameIndex finds the plan a name refers to: exactly, ignoring case, or
// ignoring punctuation and plural endings (users → User).
type nameIndex struct {
	exact, lower, norm map[string]*classPlan
	scim               map[string]*classPlan
}

func newNameIndex(plans []*classPlan) *nameIndex {
	n := len(plans)
	idx := &nameIndex{exact: make(map[string]*classPlan, n), lower: make(map[string]*classPlan, n), norm: make(map[string]*classPlan, n), scim: map[string]*classPlan{}}
	for _, p := range plans {
		idx.add(p)
	}
	return idx
}

func (idx *nameIndex) add(p *classPlan) {
	if _, ok := idx.exact[p.name]; !ok {
		idx.exact[p.name] = p
	}
	if l := strings.ToLower(p.name); idx.lower[l] == nil {
		idx.lower[l] = p
	}
	if n := NormalizeClassName(p.name); idx.norm[n] == nil {
		idx.norm[n] = p
	}
	for _, s := range p.scimNames {
		if idx.scim[s] == nil {
			idx.scim[s] = p
		}
	}
}

func (idx *nameIndex) fold(name string) *classPlan {
	if p := idx.exact[name]; p != nil {
		return p
	}
	return idx.lower[strings.ToLower(name)]
}

func (idx *nameIndex) match(name string) *classPlan {
	if p := idx.fold(name); p != nil {
		return p
	}
	return idx.norm[NormalizeClassName(name)]
}

// doc finds the plan a document class describes: by the scim { name;
// schemaUri; extension } of a script, else by name.
func (idx *nameIndex) doc(dc *docs.Class) *classPlan {
	if p := idx.scim[dc.Name]; p != nil {
		return p
	}
	if dc.Schema != "" {
		if p := idx.scim[dc.Schema]; p != nil {
			return p
		}
	}
	return idx.match(dc.Name)
}

// buildClass merges a plan into a class.
func buildClass(p *classPlan) *Class {
	c := &Class{Name: p.name, attrs: map[string]*Attribute{}}
	for _, cb := range p.blocks {
		c.Blocks = append(c.Blocks, cb)
		for _, a := range cb.Attributes {
			attr := c.attribute(a.Name)
			attr.Decls = append(attr.Decls, a)
		}
		c.Mappings = append(c.Mappings, cb.Mappings...)
		if cb.Scim != nil {
			c.Scim = true
		}
		if pr := lastProp(cb.Props, "embedded"); pr != nil && pr.Value == "true" {
			c.Embedded = true
		}
	}
	for _, d := range p.parts {
		attr := c.attribute(d.Name)
		attr.Decls = append(attr.Decls, d)
	}
	for _, cb := range p.opBlocks {
		c.OpBlocks = append(c.OpBlocks, cb)
		for _, op := range cb.Ops {
			c.Endpoints = append(c.Endpoints, op.Endpoints...)
		}
	}
	for _, pd := range p.docs {
		c.addDocClass(pd.class, pd.path, pd.format)
		c.ScimDoc = c.ScimDoc || pd.format == docs.FormatSCIM
	}
	c.ScimServer = c.Scim || c.ScimDoc || p.scimUnit
	c.DocEndpoints = p.endpoints
	for _, a := range c.Attributes {
		a.settle()
	}
	return c
}

func lastProp(props []*dsl.Prop, name string) *dsl.Prop {
	for i := len(props) - 1; i >= 0; i-- {
		if props[i].Name == name {
			return props[i]
		}
	}
	return nil
}

// remoteNames maps the names the API uses (JSON names, JSON and SCIM
// paths) to the script attributes that read them.
type remoteNames struct {
	exact     map[string]*Attribute
	paths     []string // remote paths of script attributes
	complexes []string // script attributes whose parts the docs flatten
}

func (c *Class) remoteNames() remoteNames {
	rn := remoteNames{exact: map[string]*Attribute{}}
	for _, a := range c.Attributes {
		if len(a.Decls) == 0 {
			continue
		}
		names := []string{a.Name}
		for _, key := range []string{"jsonName", "jsonPath", "scim.name", "scim.path"} {
			if p := a.DeclaredProp(key); p != nil && p.Value != "" {
				names = append(names, p.Value)
			}
		}
		for _, n := range names {
			// An attribute's own name beats another's JSON name: a copy
			// attribute that reads id's value (the NAME of a class with one
			// identifier) does not take id's documentation.
			if have, ok := rn.exact[n]; !ok || n == a.Name || have.Name != n {
				rn.exact[n] = a
			}
			rn.paths = append(rn.paths, n)
		}
		for _, d := range a.Decls {
			if d.Prop("complexType") != nil || d.Reference {
				rn.complexes = append(rn.complexes, a.Name)
				break
			}
		}
	}
	return rn
}

// match finds the script attribute a documented name belongs to. A name
// inside a script attribute's path or complex value (address.street for
// a complexType address) is covered by it and not an attribute of its own;
// so is the container of a mapped path (_links for _links.self).
func (rn remoteNames) match(doc string) (*Attribute, bool) {
	if a := rn.exact[doc]; a != nil {
		return a, false
	}
	for _, p := range append(rn.paths, rn.complexes...) {
		if strings.HasPrefix(doc, p+".") || strings.HasPrefix(p, doc+".") {
			return nil, true
		}
	}
	return nil, false
}

func (u *Unit) docPath(d *docs.Doc) string {
	if f := u.DocFiles[d]; f != nil {
		return f.Path
	}
	return d.Path
}

// addDocClass merges a document class into a class.
func (c *Class) addDocClass(dc *docs.Class, path, format string) {
	c.Docs = append(c.Docs, dc)
	c.docPaths = append(c.docPaths, path)
	c.DocFiles = appendUnique(c.DocFiles, path)
	remote := c.remoteNames()
	for _, da := range dc.Attributes {
		a, covered := remote.match(da.Name)
		if covered {
			continue
		}
		if a == nil {
			a = c.attrs[da.Name]
		}
		if a == nil {
			a = c.attribute(da.Name)
		}
		if slices.Contains(a.Docs, da) {
			continue // a SCIM extension read in its core class and on its own
		}
		a.Docs = append(a.Docs, da)
		src := dsl.Source{File: path, Line: da.Line, From: format}
		if da.File != "" {
			src.File = da.File // a file a multi-file description refers to
		}
		a.DocSources = append(a.DocSources, src)
	}
}

// AttributeForRemote returns the script attribute that reads a name the
// API uses (a JSON name such as first_name, a path such as name.givenName),
// or the attribute of that name, or nil.
func (c *Class) AttributeForRemote(name string) *Attribute {
	if a, _ := c.remoteNames().match(name); a != nil {
		return a
	}
	return c.attrs[name]
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// NormalizeClassName reduces a class or resource name to a key that
// matches its spellings: lower case, letters and digits only, singular.
func NormalizeClassName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	s := b.String()
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"):
		return s
	case strings.HasSuffix(s, "s") && len(s) > 3:
		return s[:len(s)-1]
	}
	return s
}

// boolProps are the attribute flags with their framework defaults.
var boolProps = []struct {
	name string
	def  bool
}{
	{"readable", true}, {"creatable", true}, {"updateable", true}, {"required", false},
	{"multiValued", false}, {"returnedByDefault", true}, {"emulated", false},
}

// DeclaredProp returns the last script setting of a property across all
// declarations of the attribute.
func (a *Attribute) DeclaredProp(name string) *dsl.Prop {
	for i := len(a.Decls) - 1; i >= 0; i-- {
		if p := a.Decls[i].Prop(name); p != nil {
			return p
		}
	}
	return nil
}

// said reports whether a script or a document states a flag of the
// attribute, as opposed to the value following from a default. An OpenAPI
// property without readOnly says nothing about being creatable; a SCIM
// attribute's mutability does. So a finding keeps its severity when a
// document that is silent about the flag is added.
// Said reports whether a script or a document says the flag's value,
// rather than leaving it to the framework's default (a document that
// does not mark an attribute read-only says nothing about updateable).
func (a *Attribute) Said(flag string) bool { return a.said(flag) }

func (a *Attribute) said(flag string) bool {
	switch a.Origin[flag] {
	case "script":
		return true
	case "doc":
		d := a.Docs[0]
		return d.Mutability != "" || d.ReadOnly || d.WriteOnly || d.Immutable
	}
	return false
}

// docFlag returns what the documents say about a flag, if they say it.
func (a *Attribute) docFlag(name string) (bool, bool) {
	if len(a.Docs) == 0 {
		return false, false
	}
	d := a.Docs[0]
	if name == "multiValued" {
		for _, key := range []string{"jsonPath", "scim.path"} {
			if p := a.DeclaredProp(key); p != nil && p.Literal == "filtered-path" {
				return false, false // the script picks one value out of the list
			}
		}
	}
	switch name {
	case "readable":
		return d.Readable(), true
	case "creatable":
		return d.Creatable(), true
	case "updateable":
		return d.Updateable(), true
	case "required":
		return d.Required, true
	case "multiValued":
		return d.MultiValued, true
	case "returnedByDefault":
		return d.Readable() && d.Returned != "request", true
	}
	return false, false
}

// settle computes the effective properties.
func (a *Attribute) settle() {
	for _, bp := range boolProps {
		v, origin := bp.def, "default"
		if dv, ok := a.docFlag(bp.name); ok {
			v, origin = dv, "doc"
		}
		if p := a.DeclaredProp(bp.name); p != nil && p.Literal == "bool" {
			v, origin = p.Value == "true", "script"
		}
		a.setFlag(bp.name, v)
		a.Origin[bp.name] = origin
	}
	if !a.Readable && a.Origin["returnedByDefault"] != "script" {
		a.ReturnedByDefault = false
	}
	for _, d := range a.Decls {
		if d.Reference || d.Prop("objectClass") != nil || d.Prop("role") != nil {
			a.Reference = true
		}
		if d.Resolver {
			a.Emulated = true
		}
		if d.Prop("complexType") != nil {
			a.Complex = true
		}
	}
	if p := a.DeclaredProp("jsonType"); p != nil {
		a.Type, a.Origin["type"] = p.Value, "script"
	} else if len(a.Docs) > 0 && a.Docs[0].Type != "" {
		a.Type, a.Origin["type"] = a.Docs[0].Type, "doc"
	}
	if p := a.DeclaredProp("openApiFormat"); p != nil {
		a.Format, a.Origin["format"] = p.Value, "script"
	} else if len(a.Docs) > 0 && a.Docs[0].Format != "" {
		a.Format, a.Origin["format"] = a.Docs[0].Format, "doc"
	}
	if p := a.DeclaredProp("description"); p != nil {
		a.Description = p.Value
	} else if len(a.Docs) > 0 {
		a.Description = a.Docs[0].Description
	}
	if len(a.Decls) == 0 && len(a.Docs) > 0 && a.Docs[0].Complex {
		a.Complex = true
	}
}

func (a *Attribute) setFlag(name string, v bool) {
	switch name {
	case "readable":
		a.Readable = v
	case "creatable":
		a.Creatable = v
	case "updateable":
		a.Updateable = v
	case "required":
		a.Required = v
	case "multiValued":
		a.MultiValued = v
	case "returnedByDefault":
		a.ReturnedByDefault = v
	case "emulated":
		a.Emulated = v
	}
}

// Flag returns an effective flag by name.
func (a *Attribute) Flag(name string) bool {
	switch name {
	case "readable":
		return a.Readable
	case "creatable":
		return a.Creatable
	case "updateable":
		return a.Updateable
	case "required":
		return a.Required
	case "multiValued":
		return a.MultiValued
	case "returnedByDefault":
		return a.ReturnedByDefault
	case "emulated":
		return a.Emulated
	}
	return false
}
