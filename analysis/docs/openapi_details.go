package docs

import (
	"sort"
	"strings"
)

// What generators need beyond classes and endpoints: the parameters of
// an endpoint (paging, filters), the shape of what a search returns, and
// how the API authenticates.

// details reads an endpoint's query and header parameters and the shape
// of its success response.
func (r *oaReader) details(e *Endpoint, op, item, resp *node) {
	seen := map[string]bool{}
	for _, params := range []*node{get(op, "parameters"), get(item, "parameters")} {
		for p := range each(items(params)) {
			p = r.resolve(p)
			in := str(get(p, "in"))
			name := str(get(p, "name"))
			if (in != "query" && in != "header") || name == "" || seen[in+name] {
				continue
			}
			seen[in+name] = true
			typ := str(get(p, "type"))
			if s := r.resolve(get(p, "schema")); s != nil {
				typ = typeOf(s)
			}
			req, _ := boolOf(get(p, "required"))
			e.Params = append(e.Params, Param{Name: name, In: in, Type: typ, Description: str(get(p, "description")), Required: req})
		}
	}
	if e.Operation != "search" {
		return
	}
	res := r.resolve(resp)
	switch {
	case res == nil:
	case typeOf(res) == "array":
		e.ResponseArray = true
	default:
		e.ResponseItems = r.arrayPath(res, "", 0)
	}
	e.ResponseHeaders = r.successHeaders(op)
}

// arrayPath finds the property that holds a page's array of objects:
// "data", or "_embedded.elements" one level down; "" when there is none
// or more than one.
func (r *oaReader) arrayPath(s *node, prefix string, depth int) string {
	props := get(s, "properties")
	if props == nil || props.Kind != mappingKind || depth > 1 {
		return ""
	}
	found := ""
	for i := 0; i+1 < len(props.Content()); i += 2 {
		k, v := props.kid(i).Value(), r.resolve(props.kid(i+1))
		path := ""
		switch typeOf(v) {
		case "array":
			path = prefix + k
		case "object":
			path = r.arrayPath(v, prefix+k+".", depth+1)
		}
		if path == "" {
			continue
		}
		if found != "" {
			return "" // two arrays: connls cannot tell
		}
		found = path
	}
	return found
}

// successHeaders names the headers of an operation's success responses.
func (r *oaReader) successHeaders(op *node) []string {
	resps := get(op, "responses")
	if resps == nil || resps.Kind != mappingKind {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(resps.Content()); i += 2 {
		if !strings.HasPrefix(resps.kid(i).Value(), "2") {
			continue
		}
		h := get(r.resolve(resps.kid(i+1)), "headers")
		if h == nil || h.Kind != mappingKind {
			continue
		}
		for j := 0; j+1 < len(h.Content()); j += 2 {
			out = append(out, h.kid(j).Value())
		}
	}
	sort.Strings(out)
	return out
}

// security reads the security schemes (securityDefinitions in 2.0,
// components.securitySchemes in 3.x) and the default requirement.
func (r *oaReader) security() {
	defs := get(r.root, "securityDefinitions")
	if !r.swagger {
		defs = get(get(r.root, "components"), "securitySchemes")
	}
	if defs == nil || defs.Kind != mappingKind {
		return
	}
	for i := 0; i+1 < len(defs.Content()); i += 2 {
		k, v := defs.kid(i), r.resolve(defs.kid(i+1))
		s := SecurityScheme{Name: k.Value(), Line: int(k.Line), Description: str(get(v, "description"))}
		switch t := str(get(v, "type")); t {
		case "basic":
			s.Type = "basic"
		case "http":
			switch strings.ToLower(str(get(v, "scheme"))) {
			case "basic":
				s.Type = "basic"
			case "bearer":
				s.Type, s.Format = "bearer", str(get(v, "bearerFormat"))
			default:
				s.Type = "http"
			}
		case "apiKey":
			s.Type, s.In, s.Param = "apiKey", str(get(v, "in")), str(get(v, "name"))
		case "oauth2":
			s.Type = "oauth2"
			if r.swagger {
				flow := str(get(v, "flow"))
				s.Flows = append(s.Flows, flow)
				if flow == "application" {
					s.TokenURL = str(get(v, "tokenUrl"))
				}
			} else if flows := get(v, "flows"); flows != nil && flows.Kind == mappingKind {
				for j := 0; j+1 < len(flows.Content()); j += 2 {
					s.Flows = append(s.Flows, flows.kid(j).Value())
					if flows.kid(j).Value() == "clientCredentials" {
						s.TokenURL = str(get(flows.kid(j+1), "tokenUrl"))
					}
				}
			}
		default:
			s.Type = t
		}
		r.doc.Security = append(r.doc.Security, s)
	}
	for req := range each(items(get(r.root, "security"))) {
		if req.Kind != mappingKind {
			continue
		}
		for j := 0; j+1 < len(req.Content()); j += 2 {
			r.doc.Secured = append(r.doc.Secured, req.kid(j).Value())
		}
	}
}
