package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// ConnIDPlan is the decided connid mapping of a class.
type ConnIDPlan struct {
	Class        string   `json:"class"`
	UID          string   `json:"uid"`
	NAME         string   `json:"name"`
	UIDReasons   []string `json:"uidReasons,omitempty"`
	NAMEReasons  []string `json:"nameReasons,omitempty"`
	UIDRunnerUp  string   `json:"uidRunnerUp,omitempty"`
	NAMERunnerUp string   `json:"nameRunnerUp,omitempty"`
	// CopyName is set for a class with one identifier: NAME reads the
	// UID's value through this second attribute, since the framework
	// refuses one attribute mapped to both.
	CopyName     string `json:"copyName,omitempty"`
	CopyJSONName string `json:"copyJsonName,omitempty"`
	CopyType     string `json:"copyType,omitempty"`
	// Immutable lists the flags to declare on the UID (creatable false,
	// updateable false) when no script or document sets them.
	Immutable []string `json:"immutable,omitempty"`
	// UserChosenUID is set when the API addresses objects by an
	// attribute people choose on create, which makes a creatable UID
	// right.
	UserChosenUID bool `json:"userChosenUid,omitempty"`
	// Source tells who decided: "connls" or the assistant's name.
	Source string `json:"source,omitempty"`
	// UIDMain and NAMEMain are the reasons that counted most.
	UIDMain  string `json:"uidMain,omitempty"`
	NAMEMain string `json:"nameMain,omitempty"`
	// Embedded is set for an embedded class, whose mapping the framework
	// does not require.
	Embedded bool `json:"embedded,omitempty"`
}

func planConnID(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	if len(c.Attributes) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Declare them in %s.native.schema.groovy or add the API documentation first.", c.Name, c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "attributes", chunks); err != nil {
		return planned{}, err
	}
	reg := connIDRegion(req.Model, u, c)
	view := regionView(c, reg)
	plan := ChooseConnID(view)
	if plan.UID == "" {
		return planned{}, notFound{fmt.Sprintf("No identifier found among the attributes of %s: no attribute looks like an id, uuid, key or name. Map UID by hand.", c.Name)}
	}
	if err := declaredMapping(view, plan); err != nil {
		return planned{}, err
	}
	notes := plan.notes()
	if req.Assist != nil && (req.AskAssist || plan.UIDRunnerUp != "" || plan.NAMERunnerUp != "" || plan.CopyName != "") {
		revised, msgs, err := req.Assist.ReviseConnID(ctx, view, plan, chunks, req.Progress)
		notes = append(notes, msgs...)
		if err != nil {
			if ctx.Err() != nil {
				return planned{}, ctx.Err()
			}
			notes = append(notes, "kept the deterministic choice: "+err.Error())
		} else if revised != nil {
			plan = revised
		}
	}
	if c.Embedded {
		plan.Embedded = true
		notes = append(notes, c.Name+" is an embedded object class: the framework does not require a connid mapping for it; generated because you asked (it does no harm when the class has its own search)")
	}
	code := plan.code(reg.whole || !reg.exists)
	if reg.yaml {
		code = plan.yamlCode()
	}
	title := fmt.Sprintf("Generate connid mapping for %s: UID %s", c.Name, plan.UID)
	if plan.UIDMain != "" {
		title += " (" + plan.UIDMain + ")"
	}
	title += ", NAME " + plan.NameText()
	if plan.NAMEMain != "" && plan.CopyName == "" {
		title += " (" + plan.NAMEMain + ")"
	}
	if reg.exists {
		title = "Re" + strings.ToLower(title[:1]) + title[1:]
	}
	var close []string
	if plan.UIDRunnerUp != "" {
		close = append(close, "UID "+plan.UIDRunnerUp)
	}
	if plan.NAMERunnerUp != "" {
		close = append(close, "NAME "+plan.NAMERunnerUp)
	}
	if len(close) > 0 {
		title += " (runner-up: " + strings.Join(close, ", ") + ")"
	}
	return planned{kind: KindConnID, code: code, title: title, notes: notes, inputs: connIDInputs(view, plan), region: reg, manifestSection: "schema"}, nil
}

// declaredMapping refuses a mapping to attributes only the documentation
// knows: the framework would create them empty and objects fail to read.
// A SCIM server's /Schemas declares them at run time.
func declaredMapping(c *analysis.Class, p *ConnIDPlan) error {
	if c.Scim || c.ScimServer {
		return nil
	}
	for _, name := range []string{p.UID, p.NAME} {
		if a := c.Attribute(name); a != nil && len(a.Decls) == 0 && name != p.CopyName {
			return notFound{fmt.Sprintf("No script declares %s of %s, which the documentation describes and connls would map: generate the native schema first (connls generate native --class %s)", name, c.Name, c.Name)}
		}
	}
	return nil
}

// regionView is the class without what the region holds: the evidence a
// generation may use is everything but its own earlier output.
func regionView(c *analysis.Class, reg region) *analysis.Class {
	if !reg.exists {
		return c
	}
	return c.Excluding(reg.abs, reg.rng)
}

// NameText says what NAME is mapped to, the copy of a single identifier
// included.
func (p *ConnIDPlan) NameText() string {
	if p.CopyName != "" {
		return p.CopyName + " (a copy of " + p.UID + ")"
	}
	return p.NAME
}

// ChooseConnID decides the mapping of a class from the model.
func ChooseConnID(c *analysis.Class) *ConnIDPlan {
	id := analysis.ChooseIdentifiers(c)
	p := &ConnIDPlan{Class: c.Name, Source: "connls"}
	if id.UID == nil {
		return p
	}
	p.UID, p.UIDReasons, p.UIDMain = id.UID.Attr.Name, id.UID.Reasons, id.UID.MainReason()
	if id.UIDRunnerUp != nil {
		p.UIDRunnerUp = id.UIDRunnerUp.Attr.Name
	}
	if id.NAME != nil {
		p.NAME, p.NAMEReasons, p.NAMEMain = id.NAME.Attr.Name, id.NAME.Reasons, id.NAME.MainReason()
		if id.NAMERunnerUp != nil {
			p.NAMERunnerUp = id.NAMERunnerUp.Attr.Name
		}
	}
	// A UID the API addresses objects by, in a placeholder that is not an
	// identifier the resource assigns ({org}, {username}), is a name
	// people choose on create.
	for _, k := range c.Keys() {
		if k.Attr == id.UID.Attr && !isIDLike(k.Param) && strings.Contains(strings.Join(id.UID.Reasons, "\n"), k.Why()) {
			p.UserChosenUID = true
		}
	}
	p.Settle(c, id.UID.Attr, id.Single)
	return p
}

// Settle fills in what follows from the chosen UID: the copy attribute
// that NAME reads for a class with a single identifier, and the flags
// that declare the UID immutable where nothing says otherwise (a UID that
// people choose stays creatable).
func (p *ConnIDPlan) Settle(c *analysis.Class, uid *analysis.Attribute, single bool) {
	p.CopyName, p.CopyJSONName, p.CopyType, p.Immutable = "", "", "", nil
	if single {
		p.CopyName = uid.Name + "Name"
		for c.Attribute(p.CopyName) != nil {
			p.CopyName += "_"
		}
		p.CopyJSONName = uid.Name
		if jp := uid.DeclaredProp("jsonName"); jp != nil {
			p.CopyJSONName = jp.Value
		}
		p.CopyType = uid.Type
		if p.CopyType == "" || p.CopyType == "object" {
			p.CopyType = "string"
		}
		p.NAME = p.CopyName
	}
	for _, f := range []string{"creatable", "updateable"} {
		if f == "creatable" && p.UserChosenUID {
			continue
		}
		if uid.Flag(f) && !uid.Said(f) {
			p.Immutable = append(p.Immutable, f)
		}
	}
}

// isIDLike reports whether a placeholder names a resource-assigned
// identifier ({id}, {userId}, {user_id}, {uuid}).
func isIDLike(param string) bool {
	l := strings.ToLower(param)
	return l == "id" || l == "uuid" || l == "guid" || strings.HasSuffix(l, "id") || strings.HasSuffix(l, "uuid")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *ConnIDPlan) notes() []string {
	notes := []string{fmt.Sprintf("UID %s: %s", p.UID, strings.Join(p.UIDReasons, ", "))}
	if p.CopyName != "" {
		notes = append(notes, fmt.Sprintf("NAME %s: %s is the only identifier; NAME reads it through a copy attribute", p.CopyName, p.UID))
	} else {
		notes = append(notes, fmt.Sprintf("NAME %s: %s", p.NAME, strings.Join(p.NAMEReasons, ", ")))
	}
	if p.UIDRunnerUp != "" {
		notes = append(notes, "close call for UID: "+p.UIDRunnerUp+" scored almost as well")
	}
	if p.NAMERunnerUp != "" {
		notes = append(notes, "close call for NAME: "+p.NAMERunnerUp+" scored almost as well")
	}
	return notes
}

// why is the comment that says why an attribute was chosen.
func why(role, attr string, reasons []string, runnerUp string) string {
	s := fmt.Sprintf("%s %s: %s", role, attr, strings.Join(reasons, ", "))
	if runnerUp != "" {
		s += fmt.Sprintf(" (%s came close)", runnerUp)
	}
	return s
}

// code emits the mapping in the framework's own style: a whole
// objectClass block, or just the mapping lines when they go into a block
// that holds other things too. Comments say why each choice was made.
func (p *ConnIDPlan) code(whole bool) string {
	var b strings.Builder
	in := ""
	if whole {
		fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(p.Class))
		in = "    "
	}
	line := func(format string, args ...any) {
		b.WriteString(in)
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\n")
	}
	if p.Embedded {
		line("// %s is embedded: the framework needs no connid mapping for it; this one identifies the objects its own search returns.", p.Class)
	}
	if len(p.Immutable) > 0 && whole {
		if p.UserChosenUID {
			line("// People choose %s on create; it never changes.", p.UID)
		} else {
			line("// The resource assigns %s; it never changes.", p.UID)
		}
		line("attribute(%s) {", Quote(p.UID))
		for _, f := range p.Immutable {
			line("    %s false", f)
		}
		line("}")
	}
	if p.CopyName != "" && whole {
		line("// %s has one identifier, %s: NAME reads the same value through %s,", p.Class, p.UID, p.CopyName)
		line("// since the framework refuses one attribute mapped to both UID and NAME.")
		line("attribute(%s) {", Quote(p.CopyName))
		line("    json {")
		line("        name %s", Quote(p.CopyJSONName))
		line("        type %s", Quote(p.CopyType))
		line("    }")
		line("    creatable false")
		line("    updateable false")
		line("}")
	}
	comment(&b, in, "// ", why("UID", p.UID, p.UIDReasons, p.UIDRunnerUp))
	if p.UserChosenUID && !contains(p.Immutable, "creatable") {
		line("// People choose %s on create and the API addresses objects by it: a creatable UID is right here.", p.UID)
		line("// connls:ignore uid-mutable")
	}
	line("connIdAttribute(\"UID\", %s)", Quote(p.UID))
	if p.CopyName != "" {
		line("// NAME %s: the value of %s, the only identifier", p.CopyName, p.UID)
	} else {
		comment(&b, in, "// ", why("NAME", p.NAME, p.NAMEReasons, p.NAMERunnerUp))
	}
	line("connIdAttribute(\"NAME\", %s)", Quote(p.NAME))
	if whole {
		b.WriteString("}\n")
	}
	return b.String()
}

// yamlCode emits the entries of a YAML schema's connId: mapping. (A copy
// attribute for a single identifier has no YAML form here: NAME then maps
// to the UID's attribute, which the YAML loader accepts.)
func (p *ConnIDPlan) yamlCode() string {
	var b strings.Builder
	name := p.NAME
	if p.CopyName != "" {
		name = p.UID
	}
	comment(&b, "", "# ", why("UID", p.UID, p.UIDReasons, p.UIDRunnerUp))
	if p.UserChosenUID && !contains(p.Immutable, "creatable") {
		b.WriteString("# People choose the UID on create and the API addresses objects by it.\n# connls:ignore uid-mutable\n")
	}
	fmt.Fprintf(&b, "UID: %s\n", p.UID)
	if p.CopyName != "" {
		fmt.Fprintf(&b, "# NAME %s: the only identifier\n", p.UID)
	} else {
		comment(&b, "", "# ", why("NAME", p.NAME, p.NAMEReasons, p.NAMERunnerUp))
	}
	fmt.Fprintf(&b, "NAME: %s\n", name)
	return b.String()
}

// connIDInputs is what the choice depends on: the class's attributes
// with their flags and the documented item paths.
func connIDInputs(c *analysis.Class, p *ConnIDPlan) any {
	type attr struct {
		Name, Type, Format string
		Flags              string
		Docs               int
	}
	var attrs []attr
	for _, a := range c.Attributes {
		flags := fmt.Sprint(a.Readable, a.Creatable, a.Updateable, a.Required, a.MultiValued, a.Complex, a.Reference,
			a.Origin["creatable"], a.Origin["updateable"])
		attrs = append(attrs, attr{a.Name, a.Type, a.Format, flags, len(a.Docs)})
	}
	var paths []string
	for _, e := range c.DocEndpoints {
		paths = append(paths, e.Method+" "+e.Path)
	}
	return struct {
		Kind   string
		Class  string
		Attrs  []attr
		Paths  []string
		Choice *ConnIDPlan
	}{"connid", c.Name, attrs, paths, p}
}

// connIDRegion finds where a class's mapping goes: the class's block in
// its connid file (replaced whole), the mapping lines of another block,
// or a new block in X.connid.schema.groovy.
func connIDRegion(m *analysis.Model, u *analysis.Unit, c *analysis.Class) region {
	for _, b := range c.Blocks {
		if b.Script.Kind == dsl.KindConnIDSchema && !b.Yaml {
			return blockRegion(m.FileOf(b.Script), b.Range, true)
		}
	}
	for _, b := range c.Blocks {
		if len(b.Mappings) == 0 {
			continue
		}
		f := m.FileOf(b.Script)
		first, last := b.Mappings[0].Range, b.Mappings[0].Range
		for _, m := range b.Mappings {
			if m.Range.Start.Before(first.Start) {
				first = m.Range
			}
			if last.End.Before(m.Range.End) {
				last = m.Range
			}
		}
		mark := "//"
		if b.Yaml {
			mark = "#"
		}
		// The comments right above the mappings say why they were chosen:
		// they go with them.
		start := commentsAbove(f, first.Start, mark)
		r := blockRegion(f, workspace.Range{Start: start, End: last.End}, false)
		r.yaml = b.Yaml
		return r
	}
	dir := u.Dir
	for _, b := range c.Blocks {
		dir = filepath.Dir(b.Script.File.Abs)
		break
	}
	abs := filepath.Join(dir, c.Name+".connid.schema.groovy")
	return newFileRegion(u, abs)
}

// commentsAbove returns where the comment lines (starting with mark, at
// the same indentation) directly above the line of pos begin, or pos.
func commentsAbove(f *workspace.File, pos workspace.Pos, mark string) workspace.Pos {
	lines := strings.Split(string(f.Text), "\n")
	if pos.Line >= len(lines) {
		return pos
	}
	indent := lines[pos.Line][:len(lines[pos.Line])-len(strings.TrimLeft(lines[pos.Line], " \t"))]
	if len(indent) != pos.Col {
		return pos // something precedes the mapping on its line
	}
	start := pos
	for l := pos.Line - 1; l >= 0; l-- {
		text := strings.TrimRight(lines[l], "\r")
		if !strings.HasPrefix(text, indent+mark+" ") && text != indent+mark {
			break
		}
		start = workspace.Pos{Line: l, Col: len(indent)}
	}
	return start
}

// newFileRegion is the end of an existing file, or a new file.
func newFileRegion(u *analysis.Unit, abs string) region {
	for _, s := range u.Scripts {
		if s.File.Abs == abs {
			end := s.File.Lines().Pos(len(s.File.Text))
			return region{file: s.File, abs: abs, rng: workspace.Range{Start: end, End: end}}
		}
	}
	return region{abs: abs}
}
