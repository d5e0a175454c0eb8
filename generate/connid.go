package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/connls/connls/analysis"
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
}

func planConnID(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	if len(c.Attributes) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Declare them in %s.native.schema.groovy or add the API documentation first.", c.Name, c.Name)}
	}
	if c.Embedded {
		return planned{}, notFound{fmt.Sprintf("%s is an embedded object class: it has no identity of its own and needs no connid mapping", c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "attributes", chunks); err != nil {
		return planned{}, err
	}
	plan := ChooseConnID(c)
	if plan.UID == "" {
		return planned{}, notFound{fmt.Sprintf("No identifier found among the attributes of %s: no attribute looks like an id, uuid, key or name. Map UID by hand.", c.Name)}
	}
	notes := plan.notes()
	if req.Assist != nil && (req.AskAssist || plan.UIDRunnerUp != "" || plan.NAMERunnerUp != "" || plan.CopyName != "") {
		revised, msgs, err := req.Assist.ReviseConnID(ctx, c, plan, chunks, req.Progress)
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
	reg := connIDRegion(req.Model, u, c)
	code := plan.code(reg.whole || !reg.exists)
	if reg.yaml {
		code = plan.yamlCode()
	}
	title := fmt.Sprintf("Generate connid mapping for %s: UID %s, NAME %s", c.Name, plan.UID, plan.nameText())
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
	return planned{kind: KindConnID, code: code, title: title, notes: notes, inputs: connIDInputs(c, plan), region: reg, manifestSection: "schema"}, nil
}

func (p *ConnIDPlan) nameText() string {
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
	p.UID, p.UIDReasons = id.UID.Attr.Name, id.UID.Reasons
	if id.UIDRunnerUp != nil {
		p.UIDRunnerUp = id.UIDRunnerUp.Attr.Name
	}
	if id.NAME != nil {
		p.NAME, p.NAMEReasons = id.NAME.Attr.Name, id.NAME.Reasons
		if id.NAMERunnerUp != nil {
			p.NAMERunnerUp = id.NAMERunnerUp.Attr.Name
		}
	}
	p.UserChosenUID = id.UIDPathParam != "" && contains(id.UID.Reasons, fmt.Sprintf("the API addresses items by {%s}", id.UIDPathParam))
	p.settle(c, id.UID.Attr, id.Single)
	return p
}

// settle fills in what follows from the chosen UID: the copy attribute
// that NAME reads for a class with a single identifier, and the flags
// that declare the UID immutable where nothing says otherwise (a UID that
// people choose stays creatable).
func (p *ConnIDPlan) settle(c *analysis.Class, uid *analysis.Attribute, single bool) {
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
		if uid.Flag(f) && uid.Origin[f] == "default" {
			p.Immutable = append(p.Immutable, f)
		}
	}
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

// code emits the mapping in the framework's own style: a whole
// objectClass block, or just the mapping lines when they go into a block
// that holds other things too.
func (p *ConnIDPlan) code(whole bool) string {
	var b strings.Builder
	in := ""
	if whole {
		fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(p.Class))
		in = "    "
	}
	if p.UIDRunnerUp != "" {
		fmt.Fprintf(&b, "%s// UID: %s or %s? Both look like identifiers; %s scored higher (%s).\n", in, p.UID, p.UIDRunnerUp, p.UID, strings.Join(p.UIDReasons, ", "))
	}
	if p.NAMERunnerUp != "" {
		fmt.Fprintf(&b, "%s// NAME: %s or %s? Both look like the human-readable name; %s scored higher (%s).\n", in, p.NAME, p.NAMERunnerUp, p.NAME, strings.Join(p.NAMEReasons, ", "))
	}
	if len(p.Immutable) > 0 && whole {
		fmt.Fprintf(&b, "%s// The resource assigns %s; it never changes.\n", in, p.UID)
		fmt.Fprintf(&b, "%sattribute(%s) {\n", in, Quote(p.UID))
		for _, f := range p.Immutable {
			fmt.Fprintf(&b, "%s    %s false\n", in, f)
		}
		fmt.Fprintf(&b, "%s}\n", in)
	}
	if p.CopyName != "" && whole {
		fmt.Fprintf(&b, "%s// %s has one identifier, %s: NAME reads the same value through %s,\n", in, p.Class, p.UID, p.CopyName)
		fmt.Fprintf(&b, "%s// since the framework refuses one attribute mapped to both UID and NAME.\n", in)
		fmt.Fprintf(&b, "%sattribute(%s) {\n", in, Quote(p.CopyName))
		fmt.Fprintf(&b, "%s    json {\n%s        name %s\n%s        type %s\n%s    }\n", in, in, Quote(p.CopyJSONName), in, Quote(p.CopyType), in)
		fmt.Fprintf(&b, "%s    creatable false\n%s    updateable false\n%s}\n", in, in, in)
	}
	if p.UserChosenUID && !contains(p.Immutable, "creatable") {
		fmt.Fprintf(&b, "%s// People choose %s on create and the API addresses objects by it: a creatable UID is right here.\n", in, p.UID)
		fmt.Fprintf(&b, "%s// connls:ignore uid-mutable\n", in)
	}
	fmt.Fprintf(&b, "%sconnIdAttribute(\"UID\", %s)\n", in, Quote(p.UID))
	fmt.Fprintf(&b, "%sconnIdAttribute(\"NAME\", %s)\n", in, Quote(p.NAME))
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
	if p.UIDRunnerUp != "" {
		fmt.Fprintf(&b, "# UID: %s or %s? %s scored higher (%s).\n", p.UID, p.UIDRunnerUp, p.UID, strings.Join(p.UIDReasons, ", "))
	}
	if p.NAMERunnerUp != "" {
		fmt.Fprintf(&b, "# NAME: %s or %s? %s scored higher (%s).\n", p.NAME, p.NAMERunnerUp, p.NAME, strings.Join(p.NAMEReasons, ", "))
	}
	name := p.NAME
	if p.CopyName != "" {
		name = p.UID
	}
	if p.UserChosenUID && !contains(p.Immutable, "creatable") {
		b.WriteString("# People choose the UID on create and the API addresses objects by it.\n# connls:ignore uid-mutable\n")
	}
	fmt.Fprintf(&b, "UID: %s\nNAME: %s\n", p.UID, name)
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
		if b.Script.File.Kind == workspace.KindConnIDSchema && !b.Yaml {
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
		r := blockRegion(f, workspace.Range{Start: first.Start, End: last.End}, false)
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
