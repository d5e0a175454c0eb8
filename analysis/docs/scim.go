package docs

import (
	"slices"
	"strings"
)

// readSCIM reads SCIM 2.0 discovery documents (RFC 7643): the answers of
// /Schemas and /ResourceTypes, as a ListResponse, a list, or one object.
func readSCIM(path string, text []byte, isJSON bool) *Doc {
	d := &Doc{Path: path, Format: FormatSCIM}
	root, p := parseTree(text, isJSON)
	if p != nil {
		d.Problems = append(d.Problems, *p)
		return d
	}
	var objects []*node
	switch {
	case root.Kind == sequenceKind:
		objects = slices.Collect(each(root.Content()))
	case get(root, "Resources") != nil:
		objects = slices.Collect(each(items(get(root, "Resources"))))
	default:
		objects = []*node{root}
	}
	for _, o := range objects {
		switch {
		case get(o, "attributes") != nil:
			d.Classes = append(d.Classes, scimSchema(o))
		case get(o, "endpoint") != nil && get(o, "schema") != nil:
			c, eps := scimResourceType(o)
			d.Classes = append(d.Classes, c)
			d.Endpoints = append(d.Endpoints, eps...)
		}
	}
	// A document with both schemas and resource types links them itself.
	types := false
	for _, rc := range d.Classes {
		if !rc.Resource {
			continue
		}
		types = true
		for _, sc := range d.Classes {
			if sc != rc && !sc.Resource && (sc.Schema == rc.Schema || contains(rc.Extensions, sc.Schema)) {
				rc.Attributes = append(rc.Attributes, sc.Attributes...)
				if sc.Extends == "" && sc.Schema != rc.Schema {
					sc.Extends = rc.Name
				}
			}
		}
	}
	if !types {
		// Schemas alone (the answer of /Schemas, or one schema file): each
		// core schema of a resource is a class; extensions add to theirs,
		// here or, across files, when the model is merged.
		for _, c := range d.Classes {
			if !c.Resource && c.Extends == "" && isResourceSchema(c.Schema) {
				c.Resource = true
				c.Kept = "SCIM schema " + c.Schema
			}
		}
		for _, ext := range d.Classes {
			for _, c := range d.Classes {
				if ext.Extends != "" && c.Resource && c.Name == ext.Extends {
					c.Attributes = append(c.Attributes, ext.Attributes...)
					c.Extensions = append(c.Extensions, ext.Schema)
				}
			}
		}
	}
	for _, c := range d.Classes {
		d.Chunks = append(d.Chunks, &Chunk{Title: c.Name, Class: c.Name, StartLine: c.Line, EndLine: c.Line})
	}
	if len(d.Classes) == 0 {
		d.Problems = append(d.Problems, Problem{Line: int(root.Line), Column: root.column(),
			Message: "a SCIM document should hold schemas (with \"attributes\") or resource types (with \"endpoint\" and \"schema\"); found neither"})
	}
	detach(d, text)
	return d
}

// scimMeta are the core schemas that describe the service itself, not
// resources (RFC 7643 §5-7).
var scimMeta = map[string]bool{
	"urn:ietf:params:scim:schemas:core:2.0:Schema":                true,
	"urn:ietf:params:scim:schemas:core:2.0:ResourceType":          true,
	"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig": true,
}

// isResourceSchema reports whether a schema URI names the core schema of
// a resource: not an extension, not a description of the service, not a
// message (ListResponse, PatchOp, Error).
func isResourceSchema(uri string) bool {
	return !scimMeta[uri] && !strings.Contains(uri, ":extension:") && !strings.Contains(uri, ":api:messages:")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func scimSchema(o *node) *Class {
	id := str(get(o, "id"))
	c := &Class{Name: str(get(o, "name")), Line: int(o.Line), Schema: id, Description: str(get(o, "description"))}
	if k := keyNode(o, "name"); k != nil {
		c.Line = int(k.Line)
	}
	if c.Name == "" {
		c.Name = id[strings.LastIndex(id, ":")+1:]
	}
	if strings.Contains(id, ":extension:") {
		// urn:ietf:params:scim:schemas:extension:enterprise:2.0:User
		// extends User.
		c.Extends = id[strings.LastIndex(id, ":")+1:]
	}
	// Every resource has the common attribute id (RFC 7643 §3.1); schema
	// lists leave it out. Extensions are not resources.
	if !strings.Contains(id, ":extension:") && !hasAttr(o, "id") {
		c.Attributes = append(c.Attributes, &Attribute{Name: "id", Line: c.Line, Type: "string", ReadOnly: true,
			Returned: "always", Uniqueness: "server", Mutability: "readOnly", Description: "Identifier assigned by the service provider"})
	}
	c.Attributes = append(c.Attributes, scimAttributes(items(get(o, "attributes")), "")...)
	return c
}

func hasAttr(o *node, name string) bool {
	for a := range each(items(get(o, "attributes"))) {
		if str(get(a, "name")) == name {
			return true
		}
	}
	return false
}

func scimAttributes(list []node, prefix string) []*Attribute {
	var out []*Attribute
	for n := range each(list) {
		name := str(get(n, "name"))
		if name == "" {
			continue
		}
		a := &Attribute{Name: prefix + name, Line: int(n.Line), Description: str(get(n, "description"))}
		if k := keyNode(n, "name"); k != nil {
			a.Line = int(k.Line)
		}
		a.MultiValued, _ = boolOf(get(n, "multiValued"))
		a.Required, _ = boolOf(get(n, "required"))
		a.Mutability = str(get(n, "mutability"))
		a.Returned = str(get(n, "returned"))
		a.Uniqueness = str(get(n, "uniqueness"))
		switch a.Mutability {
		case "readOnly":
			a.ReadOnly = true
		case "writeOnly":
			a.WriteOnly = true
		case "immutable":
			a.Immutable = true
		}
		for v := range each(items(get(n, "canonicalValues"))) {
			a.Enum = append(a.Enum, v.Value())
		}
		switch t := str(get(n, "type")); t {
		case "dateTime":
			a.Type, a.Format = "string", "date-time"
		case "reference":
			a.Type, a.Format = "string", "uri"
			a.Ref = strings.Join(values(items(get(n, "referenceTypes"))), ",")
		case "decimal":
			a.Type = "number"
		case "binary":
			a.Type, a.Format = "string", "binary"
		case "complex":
			a.Type, a.Complex = "object", true
		default:
			a.Type = t
		}
		out = append(out, a)
		if subs := items(get(n, "subAttributes")); len(subs) > 0 && prefix == "" {
			for _, s := range scimAttributes(subs, a.Name+".") {
				s.MultiValued = s.MultiValued || a.MultiValued
				s.ReadOnly = s.ReadOnly || a.ReadOnly
				s.Immutable = s.Immutable || a.Immutable
				s.WriteOnly = s.WriteOnly || a.WriteOnly
				out = append(out, s)
			}
		}
	}
	return out
}

func values(list []node) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.Value())
	}
	return out
}

// scimResourceType reads a resource type: the class it defines and the
// endpoints every SCIM resource has (RFC 7644 §3).
func scimResourceType(o *node) (*Class, []*Endpoint) {
	name := str(get(o, "name"))
	if name == "" {
		name = str(get(o, "id"))
	}
	c := &Class{Name: name, Line: int(o.Line), Schema: str(get(o, "schema")), Description: str(get(o, "description")), Resource: true}
	if k := keyNode(o, "name"); k != nil {
		c.Line = int(k.Line)
	}
	for ext := range each(items(get(o, "schemaExtensions"))) {
		c.Extensions = append(c.Extensions, str(get(ext, "schema")))
	}
	ep := str(get(o, "endpoint"))
	line := c.Line
	if k := keyNode(o, "endpoint"); k != nil {
		line = int(k.Line)
	}
	item := strings.TrimRight(ep, "/") + "/{id}"
	var eps []*Endpoint
	for _, e := range []struct{ method, path, op string }{
		{"GET", ep, "search"}, {"POST", ep, "create"}, {"GET", item, "get"},
		{"PUT", item, "update"}, {"PATCH", item, "update"}, {"DELETE", item, "delete"},
	} {
		x := &Endpoint{Method: e.method, Path: e.path, Line: line, Operation: e.op, Class: name, Summary: "SCIM " + e.op}
		if strings.Contains(e.path, "{id}") {
			x.PathParams = []string{"id"}
			x.Placeholders = []Placeholder{{Name: "id", Class: name, Attribute: "id", From: "name"}}
		}
		eps = append(eps, x)
	}
	return c, eps
}
