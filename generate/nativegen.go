package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// NativePlan is the decided native schema of a class: its documented
// attributes, and the embedded value classes its nested objects become.
type NativePlan struct {
	Class       string `json:"class"`
	Description string `json:"description,omitempty"`
	// IsEmbedded keeps a class declared embedded (a value class with no
	// identity of its own).
	IsEmbedded bool          `json:"isEmbedded,omitempty"`
	Attrs      []NativeAttr  `json:"attrs"`
	Embedded   []NativeClass `json:"embedded,omitempty"`
	uid        string        // the identifier connid would choose
}

// NativeClass is an embedded value class: the parts of a nested object.
type NativeClass struct {
	Name  string       `json:"name"`
	Attrs []NativeAttr `json:"attrs"`
}

// NativeAttr is one attribute of a generated native schema.
type NativeAttr struct {
	Name        string   `json:"name"`
	Type        string   `json:"type,omitempty"`
	Format      string   `json:"format,omitempty"`
	Flags       []string `json:"flags,omitempty"` // "creatable false", ... where not the default
	Description string   `json:"description,omitempty"`
	// ComplexType names the embedded value class of a nested object.
	ComplexType string `json:"complexType,omitempty"`
	// Skip says why the attribute is a comment rather than a declaration
	// (a reference to another object class, a free-form object).
	Skip string `json:"skip,omitempty"`
}

func planNative(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	if c.Scim || c.ScimDoc {
		return planned{}, notFound{fmt.Sprintf("%s is described by SCIM schemas: the framework reads its attributes from the server's /Schemas at run time, so there is no native schema to generate; declare by hand only what you want to change.", c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "attributes", chunks); err != nil {
		return planned{}, err
	}
	reg, fileOwned := nativeRegion(req.Model, u, c)
	view := regionView(c, reg)
	plan := ChooseNative(u, view, fileOwned, func(name string) bool { return declaredOutside(u, name, reg) })
	if plan.Description != "" && classSaysOutside(c, "description", reg) {
		plan.Description = ""
	}
	if len(plan.Attrs) == 0 {
		return planned{}, notFound{fmt.Sprintf("No documented attributes found for %s in this workspace: add the API description that defines it, or declare the attributes by hand.", c.Name)}
	}
	if c.Embedded && declaredOutside(u, c.Name, reg) {
		return planned{}, notFound{fmt.Sprintf("%s is declared as an embedded value class by another script: its attributes are generated there.", c.Name)}
	}
	if !c.Embedded && ChooseConnID(view).UID == "" {
		return planned{}, notFound{fmt.Sprintf("No identifier found among the documented attributes of %s: no attribute looks like an id, uuid, key or name, so it cannot be an object class of its own. Declare it embedded (a value inside another class) by hand, or leave it out.", c.Name)}
	}
	var notes []string
	n := 0
	for _, a := range plan.Attrs {
		if a.Skip == "" {
			n++
		} else {
			notes = append(notes, a.Name+": "+a.Skip)
		}
	}
	notes = append([]string{fmt.Sprintf("%d attributes of %s from the documentation", n, c.Name)}, notes...)
	for _, e := range plan.Embedded {
		notes = append(notes, fmt.Sprintf("%s: an embedded value class for a nested object (%d attributes)", e.Name, len(e.Attrs)))
	}
	title := fmt.Sprintf("Generate native schema for %s: %d attributes", c.Name, n)
	if reg.exists {
		title = "Re" + strings.ToLower(title[:1]) + title[1:]
	}
	return planned{kind: KindNative, code: plan.code(), title: title, notes: notes, inputs: nativeInputs(plan), region: reg, manifestSection: "schema"}, nil
}

// nativeInputs: the plan is a function of the documented attributes and
// of what other scripts say, so it is its own input.
func nativeInputs(p *NativePlan) any {
	return struct {
		Kind string
		Plan *NativePlan
	}{"native", p}
}

// ChooseNative decides the native schema of a class from the attributes
// its documents describe. Nested objects become embedded value classes
// (complexType), or comments when they point to another object class (a
// relationship) or have no documented parts. Flags are
// written only where the documentation differs from the framework's
// defaults and no other script of the class says them. withEmbedded
// is false when the schema goes into a file with other classes, where
// embedded classes cannot be placed: nested objects are then comments.
//
// declared reports whether a script outside the region declares a class:
// an embedded class declared there is used, not declared again.
func ChooseNative(u *analysis.Unit, c *analysis.Class, withEmbedded bool, declared func(string) bool) *NativePlan {
	p := &NativePlan{Class: c.Name, IsEmbedded: c.Embedded, uid: ChooseConnID(c).UID}
	if len(c.Docs) > 0 && c.Docs[0].Description != "" {
		p.Description = shortLine(c.Docs[0].Description, 300)
	}
	seen := map[string]bool{}
	p.Attrs = nativeAttrs(u, c, "", withEmbedded, p, seen, 0, declared)
	return p
}

// classSaysOutside reports whether a script block of the class sets a
// class property outside the region (a second declaration with another
// value fails).
func classSaysOutside(c *analysis.Class, name string, reg region) bool {
	for _, b := range c.Blocks {
		for _, pr := range b.Props {
			inside := reg.exists && b.Script.File.Abs == reg.abs && reg.rng.Contains(pr.Range.Start)
			if pr.Name == name && !inside {
				return true
			}
		}
	}
	return false
}

const maxNestedDepth = 3

// docAttr is what a document says of an attribute.
type docAttr struct {
	Name, Type, Format, Description, Ref                            string
	Required, Creatable, Updateable, Readable, MultiValued, Complex bool
}

// docAttrs are the attributes the class's documents describe, in their
// order, the first description of a name winning. They are read from the
// documents rather than the merged class, where a script's complexType
// or json path hides the parts it covers.
func docAttrs(c *analysis.Class, uid string) []docAttr {
	var out []docAttr
	seen := map[string]bool{}
	classes := c.Docs
	for i, dc := range c.Docs {
		if dc.Name == c.Name && (uid == "" || dc.Attribute(uid) != nil) {
			// The schema of that name, when it has the identifier:
			// other documents matched by a looser name come and go with
			// the scripts that name the class, and would make the
			// schema depend on them.
			classes = c.Docs[i : i+1]
			break
		}
	}
	for _, dc := range classes {
		for _, da := range dc.Attributes {
			if !seen[da.Name] {
				seen[da.Name] = true
				out = append(out, docAttr{
					Name: da.Name, Type: da.Type, Format: da.Format, Description: da.Description, Ref: da.Ref,
					Required: da.Required, Creatable: da.Creatable(), Updateable: da.Updateable(), Readable: da.Readable(),
					MultiValued: da.MultiValued, Complex: da.Complex,
				})
			}
		}
	}
	return out
}

// nativeAttrs lists the documented attributes directly under prefix
// ("" for the class's own, "tagger." for the parts of tagger).
func nativeAttrs(u *analysis.Unit, c *analysis.Class, prefix string, withEmbedded bool, p *NativePlan, seen map[string]bool, depth int, declared func(string) bool) []NativeAttr {
	all := docAttrs(c, p.uid)
	hasParts := func(name string) bool {
		for _, d := range all {
			if strings.HasPrefix(d.Name, name+".") {
				return true
			}
		}
		return false
	}
	var out []NativeAttr
	for _, d := range all {
		if !strings.HasPrefix(d.Name, prefix) || strings.Contains(d.Name[len(prefix):], ".") {
			continue
		}
		a := c.Attribute(d.Name) // what other scripts say of it; nil for a part
		na := NativeAttr{Name: d.Name[len(prefix):]}
		if d.Description != "" && (a == nil || a.DeclaredProp("description") == nil) {
			na.Description = shortLine(d.Description, 300)
		}
		switch {
		case d.Complex || d.Type == "object":
			if target := referenced(u, c, d.Ref); target != "" {
				na.Skip = fmt.Sprintf("refers to %s: a relationship rather than a value (declare it in associations.schema.groovy)", target)
				break
			}
			name := valueClassName(u, c, d.Ref, na.Name)
			if declared(name) && u.Class(name).Embedded {
				// A script declares the value class already: use it.
				na.ComplexType = name
				if d.MultiValued {
					na.Flags = append(na.Flags, "multiValued true")
				}
				break
			}
			parts := d.Complex && hasParts(d.Name)
			if !parts || !withEmbedded || depth >= maxNestedDepth {
				na.Skip = "an object with no documented parts: not mapped"
				if parts {
					na.Skip = "a nested object; declare it as an embedded class by hand"
				}
				break
			}
			na.ComplexType = name
			if d.MultiValued {
				na.Flags = append(na.Flags, "multiValued true")
			}
			if !seen[name] {
				seen[name] = true
				// The parts first, so that nested classes come before the
				// classes that use them.
				parts := nativeAttrs(u, c, d.Name+".", withEmbedded, p, seen, depth+1, declared)
				p.Embedded = append(p.Embedded, NativeClass{Name: name, Attrs: parts})
			}
		default:
			if a == nil || a.Origin["type"] != "script" {
				na.Type = d.Type
				if !jsonTypes[na.Type] {
					na.Type = "string"
				}
				na.Format = d.Format
			}
			if prefix == "" && !d.Updateable && setByAction(c, d.Name) {
				// readOnly in the body, but a documented action changes
				// it (POST /users/{id}/lock sets status): midPoint sends
				// the change only for an updateable attribute.
				d.Updateable = true
			}
			na.Flags = nativeFlags(d, a)
		}
		out = append(out, na)
	}
	return out
}

// nativeFlags are the flags the documentation gives an attribute that
// differ from the framework's defaults, minus those another script says
// (a second declaration with another value fails: "Multiple
// declarations").
func nativeFlags(d docAttr, a *analysis.Attribute) []string {
	var out []string
	for _, f := range []struct {
		name       string
		value, def bool
	}{
		{"required", d.Required, false},
		{"creatable", d.Creatable, true},
		{"updateable", d.Updateable, true},
		{"readable", d.Readable, true},
		{"multiValued", d.MultiValued, false},
	} {
		if f.value == f.def || a != nil && a.Origin[f.name] == "script" {
			continue
		}
		out = append(out, fmt.Sprintf("%s %t", f.name, f.value))
	}
	return out
}

// referenced returns the object class a nested object points to when it
// is one of the connector's classes (not an embedded one), else "".
func referenced(u *analysis.Unit, c *analysis.Class, ref string) string {
	switch ref {
	case "":
		return ""
	case c.Name:
		return ref // a parent of the same class
	}
	if t := u.Class(ref); t != nil && !t.Embedded && isResource(t) {
		return t.Name
	}
	return ""
}

// isResource reports whether endpoints serve the class.
func isResource(c *analysis.Class) bool {
	for _, d := range c.Docs {
		if d.Resource {
			return true
		}
	}
	return len(c.DocEndpoints) > 0
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// camel writes snake_case or kebab-case as camelCase.
func camel(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i := 1; i < len(parts); i++ {
		parts[i] = upperFirst(parts[i])
	}
	return strings.Join(parts, "")
}

// code writes the embedded classes, then the class, in the framework's
// style.
func (p *NativePlan) code() string {
	var b strings.Builder
	for _, e := range p.Embedded {
		fmt.Fprintf(&b, "// A value inside %s objects, read with them: not an object class of its own.\n", p.Class)
		fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(e.Name))
		b.WriteString("    embedded true\n")
		writeNativeAttrs(&b, e.Attrs)
		b.WriteString("}\n\n")
	}
	fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(p.Class))
	if p.IsEmbedded {
		b.WriteString("    embedded true\n")
	}
	if p.Description != "" {
		fmt.Fprintf(&b, "    description %s\n", Quote(p.Description))
	}
	writeNativeAttrs(&b, p.Attrs)
	b.WriteString("}\n")
	return b.String()
}

func writeNativeAttrs(b *strings.Builder, attrs []NativeAttr) {
	for _, a := range attrs {
		if a.Skip != "" {
			comment(b, "    ", "// ", a.Name+" "+a.Skip)
			continue
		}
		fmt.Fprintf(b, "    attribute(%s) {\n", Quote(a.Name))
		if a.ComplexType != "" {
			fmt.Fprintf(b, "        complexType %s\n", Quote(a.ComplexType))
		}
		if a.Type != "" {
			fmt.Fprintf(b, "        jsonType %s\n", Quote(a.Type))
		}
		if a.Format != "" {
			fmt.Fprintf(b, "        openApiFormat %s\n", Quote(a.Format))
		}
		for _, f := range a.Flags {
			fmt.Fprintf(b, "        %s\n", f)
		}
		if a.Description != "" {
			fmt.Fprintf(b, "        description %s\n", Quote(a.Description))
		}
		b.WriteString("    }\n")
	}
}

// nativeRegion finds where a class's native schema goes: its
// X.native.schema.groovy, whole when every block there is the class or an
// embedded class (the generator owns the file; the second result is then
// true), else the class's block in it; a new file otherwise.
func nativeRegion(m *analysis.Model, u *analysis.Unit, c *analysis.Class) (region, bool) {
	dir := u.Dir
	for _, b := range append(append([]*dsl.ClassBlock{}, c.Blocks...), c.OpBlocks...) {
		dir = filepath.Dir(b.Script.File.Abs)
		break
	}
	name := c.Name + ".native.schema.groovy"
	for _, b := range c.Blocks {
		if filepath.Base(b.Script.File.Abs) == name && !b.Yaml {
			dir = filepath.Dir(b.Script.File.Abs)
			break
		}
	}
	abs := filepath.Join(dir, name)
	for _, s := range u.Scripts {
		if s.File.Abs != abs {
			continue
		}
		f := m.FileOf(s)
		owned := true
		var own *dsl.ClassBlock
		for _, b := range s.Classes {
			switch {
			case b.Name == c.Name:
				own = b
			case !blockEmbedded(b):
				owned = false
			}
		}
		if owned || own == nil {
			end := f.Lines().Pos(len(f.Text))
			if !owned {
				// Another class's schema: add this one after it.
				return region{file: f, abs: abs, rng: workspace.Range{Start: end, End: end}}, false
			}
			return wholeFile(f, abs), true
		}
		return blockRegion(f, own.Range, true), false
	}
	return region{abs: abs}, true
}

// valueClassName names the embedded class of a nested object after the
// class that holds it, so that two classes holding the same kind of value
// never both declare it (each generation owns its classes): Team's
// address is TeamAddress, Commit's CommitUser stays CommitUser. Two
// attributes of one class with the same schema share one class.
func valueClassName(u *analysis.Unit, c *analysis.Class, ref, attr string) string {
	name := c.Name + upperFirst(camel(attr))
	switch {
	case ref != "" && strings.HasPrefix(ref, c.Name):
		name = ref
	case ref != "":
		name = c.Name + ref
	}
	if x := u.Class(name); x != nil && !x.Embedded {
		name += "Value" // taken by an object class of its own
	}
	return name
}

// declaredOutside reports whether a script block outside the region
// declares the class as an embedded one (a connid block alone does not
// declare it).
func declaredOutside(u *analysis.Unit, name string, reg region) bool {
	c := u.Class(name)
	if c == nil {
		return false
	}
	for _, b := range c.Blocks {
		outside := !reg.exists || b.Script.File.Abs != reg.abs || !reg.rng.Contains(b.Range.Start)
		if outside && blockEmbedded(b) {
			return true
		}
	}
	return false
}

// blockEmbedded reports whether a schema block declares an embedded class.
func blockEmbedded(b *dsl.ClassBlock) bool {
	for _, p := range b.Props {
		if p.Name == "embedded" && p.Value == "true" {
			return true
		}
	}
	return false
}

// shortLine writes a description on one line, cut after max bytes.
func shortLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// setByAction reports whether a documented action endpoint of c sets the
// attribute (Sets "status=locked").
func setByAction(c *analysis.Class, name string) bool {
	for _, e := range c.DocEndpoints {
		if attr, _, _ := strings.Cut(e.Sets, "="); e.Operation == "action" && attr == name {
			return true
		}
	}
	return false
}
