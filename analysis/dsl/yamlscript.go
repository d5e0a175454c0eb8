package dsl

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/workspace"
)

// The YAML front-end of the framework (dsl.md §1.5): one document per
// file, unknown keys rejected.

var yamlSchemaKeys = []string{"objectClass", "description", "embedded", "connId", "attributes", "references", "scim", "rest", "json"}
var yamlAttributeKeys = []string{"description", "jsonType", "openApiFormat", "remoteName", "required", "multiValued",
	"creatable", "updateable", "readable", "returnedByDefault", "emulated", "complexType", "connId", "json", "scim"}
var yamlReferenceKeys = []string{"objectClass", "role", "subtype", "description", "required", "multiValued"}
var yamlOpKeys = []string{"objectClass", "search", "create", "update", "delete", "authentication"}

// ReadYAMLScript reads a *.schema.yaml or *.op.yaml script.
func ReadYAMLScript(f *workspace.File, role Role) *Script {
	s := &Script{File: f, Kind: KindOf(f.Abs), Role: role, RoleFrom: "manifest", Inferred: bytes.Contains(f.Text, []byte(InferredMark))}
	if role == RoleUnknown {
		s.Role, s.RoleFrom = s.Kind.Role(), "name"
		if s.Role == RoleUnknown { // not named *.schema.yaml or *.op.yaml
			s.Role = RoleOperation
		}
	}
	s.ContentRole = s.Role
	s.Ignores = yamlIgnores(f.Text)
	root, perr := docs.ParseTree(f.Text, false)
	y := &yamlReader{s: s, f: f}
	if perr != nil {
		y.problem("syntax", SevError, NodeRangeAt(perr.Line, perr.Column, 1), "%s", perr.Message)
		return s
	}
	if root.Kind != yaml.MappingNode {
		y.problem("syntax", SevError, NodeRange(root), "a YAML script must be an object, not %s", docs.Describe(root))
		return s
	}
	switch {
	case docs.Get(root, "objectClasses") != nil:
		y.newerSchema(root)
	case s.Role == RoleSchema:
		s.ContentRole = RoleSchema
		y.schema(root)
	default:
		y.operation(root)
	}
	return s
}

var specAttributeRe = regexp.MustCompile(`^\s*attribute\(\s*["']([^"']+)["']\s*\)`)

// specAttribute finds the attribute a YAML filter spec starts from, with
// its range in the file: the spec's text follows the node's line.
func (y *yamlReader) specAttribute(spec *yaml.Node) *NameRef {
	m := specAttributeRe.FindStringSubmatch(spec.Value)
	if m == nil {
		return nil
	}
	name := m[1]
	l := y.f.Lines()
	from := l.LineStart(max(spec.Line-1, 0))
	quoted := []byte(`attribute("` + name + `")`)
	i := bytes.Index(y.f.Text[from:], quoted)
	if i < 0 {
		quoted = []byte(`attribute('` + name + `')`)
		i = bytes.Index(y.f.Text[from:], quoted)
	}
	if i < 0 {
		return &NameRef{Name: name, Range: NodeRange(spec)}
	}
	start := from + i + len("attribute(")
	return &NameRef{Name: name, Range: l.Range(start, start+len(name)+2)}
}

// yamlIgnores finds `# connls:ignore CODE` comments.
func yamlIgnores(text []byte) []Ignore {
	var out []Ignore
	for i, line := range strings.Split(string(text), "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			if m := ignoreRe.FindStringSubmatch(line[j:]); m != nil {
				codes := strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
				out = append(out, Ignore{Line: i, Codes: codes})
			}
		}
	}
	return out
}

type yamlReader struct {
	s *Script
	f *workspace.File
}

func (y *yamlReader) problem(code string, sev Severity, r workspace.Range, format string, args ...any) *Problem {
	y.s.Problems = append(y.s.Problems, Problem{Code: code, Severity: sev, Abs: y.f.Abs, Path: y.f.Path, Range: r, Message: fmt.Sprintf(format, args...)})
	return &y.s.Problems[len(y.s.Problems)-1]
}

// checkKeys reports keys the framework rejects (FAIL_ON_UNKNOWN_PROPERTIES).
func (y *yamlReader) checkKeys(n *yaml.Node, allowed []string, where string) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			ok = ok || a == k.Value
		}
		if ok {
			continue
		}
		p := y.problem("unknown-dsl", SevError, NodeRange(k), "unknown key %q in %s: the framework rejects unknown YAML keys", k.Value, where)
		if c := Closest(k.Value, allowed, 1); len(c) > 0 {
			p.Message += fmt.Sprintf("; did you mean %q?", c[0])
			p.Fixes = []Fix{{Title: "Change to " + c[0], Edits: []Edit{{Abs: y.f.Abs, Range: NodeRange(k), NewText: c[0]}}}}
		}
	}
}

func (y *yamlReader) schema(root *yaml.Node) {
	name := docs.Get(root, "objectClass")
	cb := &ClassBlock{Script: y.s, Role: RoleSchema, Yaml: true, Range: NodeRange(root)}
	if name == nil || name.Value == "" {
		y.problem("syntax", SevError, NodeRange(root), "YAML schema document is missing the objectClass name")
	} else {
		cb.Name, cb.NameRange = name.Value, NodeRange(name)
	}
	y.checkKeys(root, yamlSchemaKeys, fmt.Sprintf("YAML schema document for object class %q", cb.Name))
	if docs.Get(root, "scim") != nil {
		y.s.Scim = true
	}
	for _, key := range []string{"description", "embedded"} {
		if v := docs.Get(root, key); v != nil {
			cb.Props = append(cb.Props, yamlProp(key, "", docs.KeyNode(root, key), v))
		}
	}
	y.attributes(cb, docs.Get(root, "attributes"), false)
	y.attributes(cb, docs.Get(root, "references"), true)
	if c := docs.Get(root, "connId"); c != nil && c.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(c.Content); i += 2 {
			k, v := c.Content[i], c.Content[i+1]
			cb.Mappings = append(cb.Mappings, &Mapping{
				ConnID: k.Value, ConnIDRange: NodeRange(k), Attr: v.Value, AttrRange: NodeRange(v),
				Range: workspace.Range{Start: NodeRange(k).Start, End: NodeRange(v).End}, Class: cb, Args: 2, Via: "yaml", Literal: true,
			})
		}
	}
	y.s.Classes = append(y.s.Classes, cb)
}

func yamlProp(name, block string, key, val *yaml.Node) *Prop {
	p := &Prop{Name: name, Key: key.Value, Block: block, Value: val.Value, Range: workspace.Range{Start: NodeRange(key).Start, End: NodeRange(val).End}, ValueRange: NodeRange(val)}
	switch val.Tag {
	case "!!bool":
		p.Literal = "bool"
	case "!!int", "!!float":
		p.Literal = "number"
	case "!!str":
		p.Literal = "string"
	}
	p.Name = CanonicalName(name)
	return p
}

func (y *yamlReader) attributes(cb *ClassBlock, attrs *yaml.Node, refs bool) {
	if attrs == nil || attrs.Kind != yaml.MappingNode {
		return
	}
	allowed, where := yamlAttributeKeys, "attribute"
	if refs {
		allowed, where = yamlReferenceKeys, "reference"
	}
	for i := 0; i+1 < len(attrs.Content); i += 2 {
		k, v := attrs.Content[i], attrs.Content[i+1]
		a := &AttrDecl{Name: k.Value, NameRange: NodeRange(k), Range: NodeRange(k), Class: cb, Script: y.s, Reference: refs}
		y.checkKeys(v, allowed, fmt.Sprintf("%s %q", where, k.Value))
		if v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				pk, pv := v.Content[j], v.Content[j+1]
				switch pk.Value {
				case "connId":
					if n := docs.Get(pv, "name"); n != nil && (n.Value == "UID" || n.Value == "NAME") {
						cb.Mappings = append(cb.Mappings, &Mapping{ConnID: n.Value, ConnIDRange: NodeRange(n), Attr: a.Name, AttrRange: a.NameRange,
							Range: NodeRange(n), Class: cb, Args: 2, Via: "yaml", Literal: true})
					}
					if t := docs.Get(pv, "type"); t != nil {
						a.Props = append(a.Props, yamlProp("connId.type", "connId", docs.KeyNode(pv, "type"), t))
					}
				case "scim":
					y.s.Scim = true
				case "json":
				case "remoteName":
					a.Props = append(a.Props, yamlProp("jsonName", "", pk, pv))
				default:
					if pv.Kind == yaml.ScalarNode {
						a.Props = append(a.Props, yamlProp(pk.Value, "", pk, pv))
					}
				}
			}
		}
		cb.Attributes = append(cb.Attributes, a)
	}
}

// newerSchema reads the newer shape: objectClasses: {User: {attributes: ...}}.
func (y *yamlReader) newerSchema(root *yaml.Node) {
	y.s.ContentRole = RoleSchema
	classes := docs.Get(root, "objectClasses")
	if classes == nil || classes.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(classes.Content); i += 2 {
		k, v := classes.Content[i], classes.Content[i+1]
		cb := &ClassBlock{Name: k.Value, NameRange: NodeRange(k), Range: NodeRange(k), Script: y.s, Role: RoleSchema, Yaml: true}
		y.attributes(cb, docs.Get(v, "attributes"), false)
		y.s.Classes = append(y.s.Classes, cb)
	}
}

func (y *yamlReader) operation(root *yaml.Node) {
	y.checkKeys(root, yamlOpKeys, "YAML operation document")
	name := docs.Get(root, "objectClass")
	if name == nil {
		if docs.Get(root, "authentication") != nil {
			y.s.ContentRole = RoleAuthorization
			return
		}
		y.problem("syntax", SevError, NodeRange(root), "YAML operation document is missing the objectClass name")
		return
	}
	y.s.ContentRole = RoleOperation
	cb := &ClassBlock{Name: name.Value, NameRange: NodeRange(name), Range: NodeRange(root), Script: y.s, Role: RoleOperation, Yaml: true}
	for _, kind := range []string{"search", "create", "update", "delete"} {
		blk := docs.Get(root, kind)
		if blk == nil {
			continue
		}
		ob := &OpBlock{Kind: kind, Range: NodeRange(docs.KeyNode(root, kind)), Class: cb}
		cb.Ops = append(cb.Ops, ob)
		eps := docs.Get(blk, "endpoints")
		if eps == nil || eps.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range eps.Content {
			ep := &Endpoint{Operation: kind, Method: defaultMethod(kind), Range: NodeRange(e), Op: ob}
			if p := docs.Get(e, "path"); p != nil {
				ep.Path, ep.PathRange = p.Value, NodeRange(p)
			}
			if m := docs.Get(e, "method"); m != nil {
				ep.Method, ep.MethodSet, ep.MethodRange = strings.ToUpper(m.Value), true, NodeRange(m)
			}
			if ef, ok := docs.Bool(docs.Get(e, "emptyFilterSupported")); ok {
				ep.EmptyFilter = &ef
			}
			if req := docs.Get(e, "request"); req != nil {
				if ct := docs.Get(req, "contentType"); ct != nil {
					ep.ContentType, ep.ContentTypeRange = ct.Value, NodeRange(ct)
				}
				if b := docs.Get(req, "body"); b != nil {
					ep.RequestBody, ep.RequestBodyRange = b.Value, NodeRange(b)
				}
			}
			if sa := docs.Get(e, "supportedAttributes"); sa != nil && sa.Kind == yaml.SequenceNode {
				for _, item := range sa.Content {
					switch item.Kind {
					case yaml.ScalarNode:
						ep.Supported = append(ep.Supported, &SupportedAttr{NameRef: NameRef{Name: item.Value, Range: NodeRange(item)}})
					case yaml.MappingNode:
						if n := docs.Get(item, "name"); n != nil {
							s := &SupportedAttr{NameRef: NameRef{Name: n.Value, Range: NodeRange(n)}}
							if v := docs.Get(item, "value"); v != nil {
								s.Values = append(s.Values, v.Value)
							}
							ep.Supported = append(ep.Supported, s)
						}
					}
				}
			}
			if sr, ok := docs.Bool(docs.Get(e, "singleResult")); ok && sr {
				ep.SingleResult = true
			}
			if fs := docs.Get(e, "supportedFilters"); fs != nil && fs.Kind == yaml.SequenceNode {
				// Each entry is supportedFilter(spec) { request }, as in
				// Groovy; spec is Groovy text such as
				// attribute("id").eq().anySingleValue().
				for _, item := range fs.Content {
					ep.SupportedFilters++
					if spec := docs.Get(item, "spec"); spec != nil && spec.Kind == yaml.ScalarNode {
						if ref := y.specAttribute(spec); ref != nil {
							ep.Filters = append(ep.Filters, ref)
						}
					}
				}
			}
			ob.Endpoints = append(ob.Endpoints, ep)
		}
	}
	y.s.Classes = append(y.s.Classes, cb)
}
