package analysis

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Rules about operation scripts: endpoints and the attributes they name
// (dsl.md §2.8, §2.9, connid-rules.md "Update operations").

func init() {
	register(&Rule{Code: "update-unknown-attribute", Severity: dsl.SevError, perClass: checkSupported,
		Summary: "An update endpoint supports an attribute the schema does not declare: the framework fails with \"Attribute x not found in schema\".",
		Help:    "Use a declared attribute's native name; the quick fixes offer the closest.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.update.op.groovy --
objectClass("User") {
    update {
        endpoint(PATCH, "/users/{id}") {
            supportedAttributes "emial"
        }
    }
}`})
	register(&Rule{Code: "create-unknown-attribute", Severity: dsl.SevError,
		Summary: "A create endpoint supports an attribute the schema does not declare: the framework fails with a NullPointerException.",
		Help:    "Use a declared attribute's native name.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.create.op.groovy --
objectClass("User") {
    create {
        endpoint("/users") { supportedAttributes "logn" }
    }
}`})
	register(&Rule{Code: "update-not-updateable", Severity: dsl.SevWarning,
		Summary: "An update endpoint supports an attribute that is not updateable.",
		Help:    "Remove it from the endpoint, or make the attribute updateable if the API allows it.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.update.op.groovy --
objectClass("User") {
    update {
        endpoint(PATCH, "/users/{id}") { supportedAttributes "createdAt" }
    }
}`})
	register(&Rule{Code: "create-not-creatable", Severity: dsl.SevWarning,
		Summary: "A create endpoint supports an attribute that is not creatable.",
		Help:    "Remove it from the endpoint.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.create.op.groovy --
objectClass("User") {
    create {
        endpoint("/users") { supportedAttributes "id" }
    }
}`})
	register(&Rule{Code: "update-uid", Severity: dsl.SevWarning,
		Summary: "An update endpoint supports the UID attribute; the UID never changes.",
		Help:    "Remove it: the UID addresses the object ({id}), it is not updated.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.connid.schema.groovy --
objectClass("User") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "login")
}
-- User.update.op.groovy --
objectClass("User") {
    update {
        endpoint(PATCH, "/users/{id}") { supportedAttributes "id", "email" }
    }
}`})
	register(&Rule{Code: "path-placeholder", Severity: dsl.SevWarning,
		Summary: "An update or delete path with a placeholder other than {id}: the framework fills only {id}, with the UID. An error when connls knows the placeholder takes another attribute than the UID: the request goes to the wrong URL.",
		Help:    "Write {id}; if the API addresses objects by another attribute, map that attribute as the UID.",
		Example: "objectClass(\"User\") {\n    delete {\n        endpoint(\"/users/{userId}\")\n    }\n}"})
	register(&Rule{Code: "endpoint-undocumented", Severity: dsl.SevInformation,
		Summary: "A script endpoint that the API documentation of the class does not list.",
		Help:    "Check the path and method against the documentation.",
		Example: `-- docs/openapi.yaml --
openapi: 3.0.3
info: { title: Users, version: "1" }
paths:
  /users/{id}:
    patch:
      responses: { "200": { description: ok } }
-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.update.op.groovy --
objectClass("User") {
    update {
        endpoint(PATCH, "/user/{id}")
    }
}`})
	register(&Rule{Code: "content-type-without-body", Severity: dsl.SevError,
		Summary: "A request content type other than APPLICATION_JSON without a body function: the framework fails (\"Content type was specified, but missing implementation of body method\").",
		Help:    "Use APPLICATION_JSON, or give the body function.",
		Example: "objectClass(\"User\") {\n    update {\n        endpoint(PUT, \"/users/{id}\") {\n            request { contentType APPLICATION_XML }\n        }\n    }\n}"})
	register(&Rule{Code: "transition-without-value", Severity: dsl.SevWarning,
		Summary: "supportedAttribute with a transition but no value: transitions are never matched, so the endpoint is never used.",
		Help:    "Add value with the value the endpoint sets.",
		Example: "objectClass(\"User\") {\n    update {\n        endpoint(POST, \"/users/{id}/lock\") {\n            supportedAttribute(\"status\") { transition \"active\", \"locked\" }\n        }\n    }\n}"})
	register(&Rule{Code: "multiple-default-endpoints", Severity: dsl.SevError,
		Summary: "More than one search endpoint that lists without a filter: the framework fails with \"Multiple default endpoints are not supported\".",
		Help:    "Keep emptyFilterSupported true on one endpoint only. An endpoint with a supportedFilter (supportedFilters in YAML) is no default unless it says emptyFilterSupported true.",
		Example: "objectClass(\"User\") {\n    search {\n        endpoint(\"/users\") {}\n        endpoint(\"/people\") {}\n    }\n}"})
	register(&Rule{Code: "filter-attribute-undeclared", Severity: dsl.SevError,
		Summary: "A search filter or resolver names an attribute the schema does not declare: the framework fails with a NullPointerException.",
		Help:    "Use a declared attribute's native name.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.search.groovy --
objectClass("User") {
    search {
        endpoint("/users") {
            supportedFilter(attribute("logn").eq().anySingleValue()) { }
        }
    }
}`})
}

// declaredNames returns the attributes a class's schema scripts declare
// (relationship participants included): the names the framework resolves
// operation scripts against. Document-only attributes do not count.
func declaredNames(c *Class) map[string]*Attribute {
	out := map[string]*Attribute{}
	for _, a := range c.Attributes {
		if len(a.Decls) > 0 {
			out[a.Name] = a
		}
	}
	return out
}

func names(m map[string]*Attribute) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func checkSupported(uc *unitCheck, c *Class) {
	declared := declaredNames(c)
	uid, _ := c.Mapped("UID")
	// SCIM classes get attributes from discovery at runtime; only a
	// SCIM document lets connls know them.
	lenient := c.ScimServer && !c.ScimDoc || c.incomplete()
	// Without any schema, every name would be unknown: unknown-op-class
	// reports the cause once instead.
	lenient = lenient || len(c.Blocks) == 0 && len(c.Docs) == 0
	defaults := 0
	var firstDefault *dsl.Endpoint
	for _, e := range c.Endpoints {
		s := e.Op.Class.Script
		switch e.Operation {
		case "update", "create":
			for _, sa := range e.Supported {
				checkSupportedAttr(uc, c, e, sa, declared, uid, lenient)
			}
		case "search":
			for _, f := range e.Filters {
				if _, ok := declared[f.Name]; !ok && !lenient && c.Attribute(f.Name) == nil {
					p := uc.report(problemAt("filter-attribute-undeclared", s, f.Range, fmt.Sprintf(
						"%s is not declared in the schema of %s: the framework fails with a NullPointerException when it builds the search", f.Name, c.Name)))
					addNameFixes(p, s, f.Range, f.Name, names(declared))
				}
			}
			if isDefault(e) {
				defaults++
				if defaults == 1 {
					firstDefault = e
				} else {
					p := uc.report(problemAt("multiple-default-endpoints", s, e.Range, fmt.Sprintf(
						"a second search of %s without a filter: the framework fails with \"Multiple default endpoints are not supported\"", c.Name)))
					p.Related = []dsl.Related{related(firstDefault.Op.Class.Script, firstDefault.Range, "the first one")}
				}
			}
		}
		if e.Operation == "update" || e.Operation == "delete" {
			checkPlaceholder(uc, c, e)
		}
		if e.ContentType != "" && e.ContentType != "APPLICATION_JSON" && !strings.Contains(strings.ToLower(e.ContentType), "json") && e.RequestBody == "" {
			uc.report(problemAt("content-type-without-body", s, e.ContentTypeRange, fmt.Sprintf(
				"content type %s without a body function: the framework fails with \"Content type was specified, but missing implementation of body method\"", e.ContentType)))
		}
		for _, sa := range e.Supported {
			if sa.Transitions > 0 && len(sa.Values) == 0 {
				uc.report(problemAt("transition-without-value", s, sa.Range, fmt.Sprintf(
					"supportedAttribute(%q) has transitions but no value: the framework never matches transitions, so this endpoint is never used", sa.Name)))
			}
		}
	}
	checkDocumented(uc, c)
	for _, b := range c.OpBlocks {
		for _, op := range b.Ops {
			for _, r := range op.Resolvers {
				if _, ok := declared[r.Name]; !ok && !lenient {
					p := uc.report(problemAt("filter-attribute-undeclared", b.Script, r.Range, fmt.Sprintf(
						"attributeResolver names %s, which the schema of %s does not declare", r.Name, c.Name)))
					addNameFixes(p, b.Script, r.Range, r.Name, names(declared))
				}
			}
		}
	}
}

// isDefault reports whether a search endpoint lists objects without a
// filter: as declared, else when it supports no filter (dsl.md §2.8:
// the first supportedFilter turns emptyFilterSupported off).
func isDefault(e *dsl.Endpoint) bool {
	if e.EmptyFilter != nil {
		return *e.EmptyFilter
	}
	return e.SupportedFilters == 0 && len(e.Filters) == 0 && !e.SingleResult
}

func addNameFixes(p *dsl.Problem, s *dsl.Script, r workspace.Range, name string, candidates []string) {
	for _, n := range dsl.Closest(name, candidates, 3) {
		p.Fixes = append(p.Fixes, dsl.Fix{Title: fmt.Sprintf("Change to %q", n), Edits: []dsl.Edit{{Abs: s.File.Abs, Range: r, NewText: quoteLike(s.File, r, n)}}})
	}
}

func checkSupportedAttr(uc *unitCheck, c *Class, e *dsl.Endpoint, sa *dsl.SupportedAttr, declared map[string]*Attribute, uid string, lenient bool) {
	s := e.Op.Class.Script
	a, ok := declared[sa.Name]
	if !ok {
		if lenient {
			return
		}
		code, msg := "update-unknown-attribute", fmt.Sprintf("Attribute %s not found in schema: %s declares no such attribute", sa.Name, c.Name)
		if e.Operation == "create" {
			code, msg = "create-unknown-attribute", fmt.Sprintf("%s declares no attribute %s: the framework fails with a NullPointerException", c.Name, sa.Name)
		}
		if doc := c.Attribute(sa.Name); doc != nil {
			msg += "; the documentation lists it, declare it in the native schema"
		}
		p := uc.report(problemAt(code, s, sa.Range, msg))
		addNameFixes(p, s, sa.Range, sa.Name, names(declared))
		return
	}
	switch {
	case e.Operation == "update" && sa.Name == uid:
		p := uc.report(problemAt("update-uid", s, sa.Range, fmt.Sprintf("%s is the UID: it addresses the object ({id}) and never changes; do not list it as updated", sa.Name)))
		if len(sa.Values) == 0 {
			p.Fixes = []dsl.Fix{{Title: "Remove " + sa.Name, Edits: []dsl.Edit{removeListItem(s.File, e, sa)}}}
		}
	case e.Operation == "update" && !a.Updateable && (len(sa.Values) == 0 || a.Origin["updateable"] == "script"):
		// An action endpoint (supportedAttribute with a value) may set
		// what the documents call read-only: that is what it is for. Only
		// a script that declares the attribute not updateable makes it
		// dead, since midPoint then never sends a change of it.
		p := uc.report(problemAt("update-not-updateable", s, sa.Range, fmt.Sprintf("%s is not updateable (%s)", sa.Name, originText(a, "updateable"))))
		if len(sa.Values) == 0 {
			p.Fixes = []dsl.Fix{{Title: "Remove " + sa.Name, Edits: []dsl.Edit{removeListItem(s.File, e, sa)}}}
		}
	case e.Operation == "create" && !a.Creatable:
		uc.report(problemAt("create-not-creatable", s, sa.Range, fmt.Sprintf("%s is not creatable (%s)", sa.Name, originText(a, "creatable"))))
	}
}

func originText(a *Attribute, flag string) string {
	switch a.Origin[flag] {
	case "script":
		if p := a.DeclaredProp(flag); p != nil {
			if d := declOf(a, p); d.Script != nil {
				return fmt.Sprintf("declared in %s:%d", d.Script.File.Path, p.Range.Start.Line+1)
			}
		}
		return "declared in the schema"
	case "doc":
		if len(a.DocSources) > 0 {
			return fmt.Sprintf("documented in %s:%d", a.DocSources[0].File, a.DocSources[0].Line)
		}
	}
	return "by default"
}

// removeListItem removes one name from supportedAttributes "a", "b", "c".
func removeListItem(f *workspace.File, e *dsl.Endpoint, sa *dsl.SupportedAttr) dsl.Edit {
	l := f.Lines()
	start, end := l.Offset(sa.Range.Start), l.Offset(sa.Range.End)
	// Take the comma and space after the item, or, for the last item,
	// the comma and space before it.
	j := end
	for j < len(f.Text) && (f.Text[j] == ' ' || f.Text[j] == '\t') {
		j++
	}
	if j < len(f.Text) && f.Text[j] == ',' {
		j++
		for j < len(f.Text) && (f.Text[j] == ' ' || f.Text[j] == '\t' || f.Text[j] == '\n' || f.Text[j] == '\r') {
			j++
		}
		return dsl.Edit{Abs: f.Abs, Range: l.Range(start, j), NewText: ""}
	}
	i := start
	for i > 0 && (f.Text[i-1] == ' ' || f.Text[i-1] == '\t' || f.Text[i-1] == '\n' || f.Text[i-1] == '\r') {
		i--
	}
	if i > 0 && f.Text[i-1] == ',' {
		return dsl.Edit{Abs: f.Abs, Range: l.Range(i-1, end), NewText: ""}
	}
	return dsl.Edit{Abs: f.Abs, Range: sa.Range, NewText: ""}
}

var placeholderRe = regexp.MustCompile(`\{([^}/]*)\}`)

func checkPlaceholder(uc *unitCheck, c *Class, e *dsl.Endpoint) {
	s := e.Op.Class.Script
	all := placeholderRe.FindAllStringSubmatchIndex(e.Path, -1)
	uid, _ := c.Mapped("UID")
	for i, m := range all {
		name := e.Path[m[2]:m[3]]
		if name == "id" {
			continue
		}
		p := uc.report(problemAt("path-placeholder", s, e.PathRange, fmt.Sprintf(
			"{%s} in the %s path is never filled: the framework fills only {id}, with the UID value", name, e.Operation)))
		// The object's own placeholder, when connls knows what it takes
		// and it is not the UID: {id} would call the wrong URL.
		if a := c.placeholderTakes(name); i == len(all)-1 && a != nil && uid != "" && a.Name != uid {
			p.Severity = dsl.SevError
			p.Message = fmt.Sprintf("{%s} takes %s, but the framework fills only {id}, with the UID (%s): this %s goes to a URL with {%s} in it. Map %s as the UID, or use an endpoint keyed by %s",
				name, a.Name, uid, e.Operation, name, a.Name, uid)
			continue
		}
		newPath := e.Path[:m[0]] + "{id}" + e.Path[m[1]:]
		p.Fixes = []dsl.Fix{{Title: "Use {id}", Edits: []dsl.Edit{{Abs: s.File.Abs, Range: e.PathRange, NewText: quoteLike(s.File, e.PathRange, newPath)}}}}
	}
}

// placeholderTakes returns the attribute a path placeholder takes, when
// a single-result search fills it from a filter or the documentation
// tells; nil otherwise.
func (c *Class) placeholderTakes(name string) *Attribute {
	for _, k := range c.Keys() {
		if k.Param == name {
			return k.Attr
		}
	}
	a, _ := c.PlaceholderAttribute(nil, name)
	return a
}

// normalizePath reduces a path for comparison: no leading or trailing
// slash, every placeholder written {}.
func normalizePath(p string) string {
	return placeholderRe.ReplaceAllString(strings.Trim(p, "/"), "{}")
}

// pathsMatch compares a script path with a documented one; documents may
// carry a base path (/api/v2/users for users).
func pathsMatch(script, doc string) bool {
	s, d := normalizePath(script), normalizePath(doc)
	return s == d || strings.HasSuffix(d, "/"+s) || strings.HasSuffix(s, "/"+d)
}

func checkDocumented(uc *unitCheck, c *Class) {
	if len(c.DocEndpoints) == 0 {
		return
	}
	for _, e := range c.Endpoints {
		if e.Path == "" {
			continue // custom search
		}
		documented := false
		for _, d := range c.DocEndpoints {
			if d.Method == e.Method && pathsMatch(e.Path, d.Path) {
				documented = true
				break
			}
		}
		if !documented {
			uc.report(problemAt("endpoint-undocumented", e.Op.Class.Script, e.PathRange, fmt.Sprintf(
				"%s %s is not among the documented endpoints of %s", e.Method, e.Path, c.Name)))
		}
	}
}
