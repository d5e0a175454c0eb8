package analysis

import (
	"fmt"
	"strings"

	"github.com/connls/connls/analysis/dsl"
)

// Rules about attribute declarations in schema scripts (dsl.md §2.3–2.5,
// §3.1).

func init() {
	register(&Rule{Code: "unknown-json-type", Severity: dsl.SevError, perClass: checkTypes,
		Summary: "A jsonType the framework does not know (string, integer, boolean, number, binary): it throws \"Unknown json schema type\".",
		Help:    "Use one of the five types; a known openApiFormat also decides the type.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"int\" }\n}"})
	register(&Rule{Code: "unknown-openapi-format", Severity: dsl.SevWarning,
		Summary: "An openApiFormat the framework does not know: it is silently ignored.",
		Help:    "Use a known format such as date-time, int64, email, uuid.",
		Example: "objectClass(\"User\") {\n    attribute(\"created\") { jsonType \"string\"; openApiFormat \"dateTime\" }\n}"})
	register(&Rule{Code: "conflicting-declaration", Severity: dsl.SevError, perClass: checkConflicts,
		Summary: "One property of an attribute or class declared with different values (in one file or several): the framework fails with \"Multiple declarations for the same definition detected\".",
		Help:    "Declare it once, or with the same value everywhere.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") { updateable true }\n    attribute(\"id\") { updatable false }\n}"})
	register(&Rule{Code: "readable-returned", Severity: dsl.SevError,
		Summary: "readable false with returnedByDefault true: readable false implies not returned, and the declarations clash.",
		Help:    "Drop returnedByDefault true.",
		Example: "objectClass(\"User\") {\n    attribute(\"password\") { readable false; returnedByDefault true }\n}"})
	register(&Rule{Code: "emulated-without-resolver", Severity: dsl.SevError, perClass: checkEmulated,
		Summary: "An emulated attribute that no resolver provides: search fails with \"is emulated, but no resolver exists\".",
		Help:    "Add a resolver {} to the attribute or an attributeResolver {} to the search.",
		Example: "objectClass(\"User\") {\n    attribute(\"groups\") { emulated true }\n}"})
	register(&Rule{Code: "reference-in-complex", Severity: dsl.SevWarning, perClass: checkReferenceInComplex,
		Summary: "role or objectClass inside a complexType attribute: the embedded object becomes a reference.",
		Help:    "Keep either complexType (an embedded value) or objectClass/role (a reference).",
		Example: "objectClass(\"User\") {\n    attribute(\"address\") { complexType \"Address\"; role SUBJECT }\n}"})
	register(&Rule{Code: "flag-disagreement", Severity: dsl.SevInformation, perClass: checkDisagreements,
		Summary: "A script and the API documentation disagree on a flag (updateable, creatable, readable, required).",
		Help:    "Check which is right; the script wins at runtime.",
		Example: `-- docs/openapi.yaml --
openapi: 3.0.3
info: { title: Users, version: "1" }
paths:
  /users/{id}:
    get:
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/User" } } } } }
components:
  schemas:
    User:
      type: object
      properties:
        id: { type: string, readOnly: true }
        login: { type: string }
-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "string"; updateable true }
    attribute("login") { jsonType "string" }
}`})
	register(&Rule{Code: "unknown-op-class", Severity: dsl.SevWarning, checkClasses: checkOpClasses,
		Summary: "An operation script for a class no schema declares: the framework fails with a NullPointerException.",
		Help:    "Declare the class in a schema script, or fix the name (case does not matter). In a SCIM-backed connector the server declares its classes, so only a name a typo away from a declared class is reported.",
		Example: "objectClass(\"Usr\") {\n    search { endpoint(\"/users\") }\n}"})
}

func checkTypes(uc *unitCheck, c *Class) {
	for _, a := range c.Attributes {
		for _, d := range a.Decls {
			if d.Script != nil {
				checkDeclTypes(uc, d.Script, d)
			}
		}
	}
}

func checkDeclTypes(uc *unitCheck, s *dsl.Script, a *dsl.AttrDecl) {
	format := a.Prop("openApiFormat")
	knownFormat := format != nil && dsl.IsOpenAPIFormat(format.Value)
	if format != nil && format.Literal == "string" && !knownFormat {
		p := uc.report(problemAt("unknown-openapi-format", s, format.ValueRange, fmt.Sprintf("unknown openApiFormat %q: the framework ignores it", format.Value)))
		addValueFixes(p, s, format, dsl.Closest(format.Value, dsl.OpenAPIFormats(), 2))
	}
	if t := a.Prop("jsonType"); t != nil && t.Literal == "string" && !dsl.IsJSONType(t.Value) && !knownFormat {
		p := uc.report(problemAt("unknown-json-type", s, t.ValueRange, fmt.Sprintf("Unknown json schema type: %s: jsonType must be one of %s", t.Value, strings.Join(dsl.JSONTypes(), ", "))))
		fixes := dsl.Closest(t.Value, dsl.JSONTypes(), 2)
		switch strings.ToLower(t.Value) {
		case "int", "long", "int64", "int32":
			fixes = []string{"integer"}
		case "bool":
			fixes = []string{"boolean"}
		case "double", "float", "decimal":
			fixes = []string{"number"}
		}
		addValueFixes(p, s, t, fixes)
	}
	readable, returned := a.Prop("readable"), a.Prop("returnedByDefault")
	if readable != nil && returned != nil && readable.Value == "false" && returned.Value == "true" {
		p := uc.report(problemAt("readable-returned", s, returned.Range, "readable false means not returned by default; returnedByDefault true clashes with it and the framework fails"))
		p.Related = []dsl.Related{related(s, readable.Range, "readable false here")}
		p.Fixes = []dsl.Fix{{Title: "Remove returnedByDefault true", Edits: []dsl.Edit{deleteLine(s.File, returned.Range)}}}
	}
}

func addValueFixes(p *dsl.Problem, s *dsl.Script, prop *dsl.Prop, values []string) {
	for _, v := range values {
		p.Fixes = append(p.Fixes, dsl.Fix{Title: fmt.Sprintf("Change to %q", v), Edits: []dsl.Edit{{Abs: s.File.Abs, Range: prop.ValueRange, NewText: quoteLike(s.File, prop.ValueRange, v)}}})
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

// conflictingProps are the properties the framework records as declared
// values that must agree (dsl.md §3.1).
var conflictingProps = []string{"readable", "required", "creatable", "updateable", "returnedByDefault",
	"multiValued", "emulated", "description", "complexType", "jsonName", "connId.type", "connId.nativeName", "connId.subtype"}

func checkConflicts(uc *unitCheck, c *Class) {
	for _, a := range c.Attributes {
		for _, name := range conflictingProps {
			var first *dsl.Prop
			var firstDecl *dsl.AttrDecl
			for _, d := range a.Decls {
				for _, p := range d.Props {
					if p.Name != name || p.Literal == "" {
						continue
					}
					if first == nil {
						first, firstDecl = p, d
						continue
					}
					if p.Value != first.Value {
						pr := uc.report(problemAt("conflicting-declaration", d.Script, p.Range, fmt.Sprintf(
							"%s of %s.%s is declared %q here and %q in %s:%d: the framework fails with \"Multiple declarations for the same definition detected\"",
							name, c.Name, a.Name, p.Value, first.Value, firstDecl.Script.File.Path, first.Range.Start.Line+1)))
						pr.Related = []dsl.Related{related(firstDecl.Script, first.Range, fmt.Sprintf("%s %s declared here", name, first.Value))}
					}
				}
			}
		}
	}
	// Class properties: description and embedded.
	for _, name := range []string{"description", "embedded"} {
		var first *dsl.Prop
		var firstBlock *dsl.ClassBlock
		for _, b := range c.Blocks {
			for _, p := range b.Props {
				if p.Name != name || p.Literal == "" {
					continue
				}
				if first == nil {
					first, firstBlock = p, b
					continue
				}
				if p.Value != first.Value {
					pr := uc.report(problemAt("conflicting-declaration", b.Script, p.Range, fmt.Sprintf(
						"%s of object class %s is declared %q here and %q in %s:%d: the framework fails with \"Multiple declarations for the same definition detected\"",
						name, c.Name, p.Value, first.Value, firstBlock.Script.File.Path, first.Range.Start.Line+1)))
					pr.Related = []dsl.Related{related(firstBlock.Script, first.Range, "first declared here")}
				}
			}
		}
	}
}

func checkEmulated(uc *unitCheck, c *Class) {
	resolved := map[string]bool{}
	for _, b := range c.OpBlocks {
		for _, op := range b.Ops {
			for _, r := range op.Resolvers {
				resolved[r.Name] = true
			}
		}
	}
	for _, a := range c.Attributes {
		p := a.DeclaredProp("emulated")
		if p == nil || p.Value != "true" || resolved[a.Name] {
			continue
		}
		hasResolver := false
		for _, d := range a.Decls {
			hasResolver = hasResolver || d.Resolver
		}
		if !hasResolver {
			for _, d := range a.Decls {
				if d.Prop("emulated") == p {
					uc.report(problemAt("emulated-without-resolver", d.Script, p.Range, fmt.Sprintf(
						"Attribute: %s is emulated, but no resolver exists: add resolver {} here or attributeResolver { attribute %q } to the search", a.Name, a.Name)))
				}
			}
		}
	}
}

func checkReferenceInComplex(uc *unitCheck, c *Class) {
	for _, a := range c.Attributes {
		for _, d := range a.Decls {
			if d.Prop("complexType") == nil {
				continue
			}
			for _, name := range []string{"role", "objectClass"} {
				if p := d.Prop(name); p != nil {
					uc.report(problemAt("reference-in-complex", d.Script, p.Range, fmt.Sprintf(
						"%s inside a complexType attribute makes %s a reference, not an embedded value; keep one of the two", name, a.Name)))
				}
			}
		}
	}
}

// checkDisagreements compares flags a script declares with what the
// documents say explicitly (readOnly, writeOnly, immutable, required).
func checkDisagreements(uc *unitCheck, c *Class) {
	for _, a := range c.Attributes {
		if len(a.Docs) == 0 || len(a.Decls) == 0 {
			continue
		}
		doc, src := a.Docs[0], a.DocSources[0]
		say := map[string]bool{}
		var why = map[string]string{}
		if doc.ReadOnly {
			say["creatable"], say["updateable"] = false, false
			why["creatable"], why["updateable"] = "read-only", "read-only"
		}
		if doc.Immutable {
			say["updateable"], why["updateable"] = false, "immutable"
		}
		if doc.WriteOnly {
			say["readable"], why["readable"] = false, "write-only"
		}
		for _, flag := range []string{"creatable", "updateable", "readable"} {
			want, known := say[flag]
			p := a.DeclaredProp(flag)
			if !known || p == nil || p.Literal != "bool" || (p.Value == "true") == want {
				continue
			}
			d := declOf(a, p)
			uc.report(problemAt("flag-disagreement", d.Script, p.Range, fmt.Sprintf(
				"%s.%s is declared %s %s, but %s:%d documents it as %s", c.Name, a.Name, flag, p.Value, src.File, src.Line, why[flag])))
		}
	}
}

func declOf(a *Attribute, p *dsl.Prop) *dsl.AttrDecl {
	for _, d := range a.Decls {
		for _, x := range d.Props {
			if x == p {
				return d
			}
		}
	}
	return a.Decls[0]
}

func checkOpClasses(uc *unitCheck) {
	for _, c := range uc.unit.Classes {
		if len(c.Blocks) > 0 || len(c.OpBlocks) == 0 || len(c.Docs) > 0 {
			continue
		}
		var names []string
		for _, x := range uc.unit.Classes {
			if len(x.Blocks) > 0 {
				names = append(names, x.Name)
			}
		}
		msg := fmt.Sprintf("no schema declares object class %q: its operations fail with a NullPointerException when the connector loads", c.Name)
		if c.ScimServer {
			// The SCIM server declares its classes itself; only a name a
			// typo away from a declared class is worth a word.
			near := dsl.Closest(c.Name, names, 1)
			if len(near) == 0 {
				continue
			}
			msg = fmt.Sprintf("no script declares object class %q and it is a typo away from %s: unless the SCIM server has a class of this name, its operations fail with a NullPointerException", c.Name, near[0])
		}
		for _, b := range c.OpBlocks {
			p := uc.report(problemAt("unknown-op-class", b.Script, b.NameRange, msg))
			for _, s := range dsl.Closest(c.Name, names, 2) {
				p.Fixes = append(p.Fixes, dsl.Fix{Title: fmt.Sprintf("Change to %q", s), Edits: []dsl.Edit{{Abs: b.Script.File.Abs, Range: b.NameRange, NewText: quoteLike(uc.model.FileOf(b.Script), b.NameRange, s)}}})
			}
		}
	}
}
