package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/analysis/dsl"
)

// Key is an attribute by which the API addresses one object of a class:
// a single-result search fills a path placeholder with the value of its
// eq filter on the attribute, or a documented item path takes the
// attribute in its placeholder.
type Key struct {
	Attr   *Attribute
	Param  string // the placeholder, without braces
	Method string // the HTTP method: GET for searches
	Path   string
	// Operation is "search" for a search script's single-result endpoint,
	// else the documented operation: get, update, delete.
	Operation string
	// How says how connls knows which attribute fills the placeholder:
	// "filter" (the search's filter sets it), "name" (the placeholder is
	// the attribute's name), "class" (the placeholder names the class and
	// the attribute is its name), "description" (the attribute's
	// description names the placeholder), "doc" (the documentation says).
	How    string
	Source dsl.Source
}

// Why says in a few words why the key makes its attribute an identifier.
func (k Key) Why() string {
	switch k.Operation {
	case "search":
		return fmt.Sprintf("single-result search %s filters on it", k.Path)
	case "get":
		return fmt.Sprintf("%s %s reads one by it", k.Method, k.Path)
	}
	return fmt.Sprintf("%s %s addresses objects by it", k.Method, k.Path)
}

// Filter is a search filter on an attribute: the attribute a search
// filters with eq or contains is one people type.
type Filter struct {
	Attr   *Attribute
	Op     string // eq or contains
	Path   string // the search endpoint's path; "" for a custom search
	Single bool   // the endpoint returns one object
	Param  string // the request parameter the filter fills
}

// Why says in a few words what the filter shows.
func (f Filter) Why() string {
	if f.Path == "" {
		return fmt.Sprintf("the custom search filters on it (%s)", f.Op)
	}
	return fmt.Sprintf("search %s filters on it (%s)", f.Path, f.Op)
}

// Keys returns the attributes by which the class's single-result searches
// and documented item endpoints address one object, in the order the
// scripts and documents give them.
func (c *Class) Keys() []Key {
	var out []Key
	for _, e := range c.Endpoints {
		if e.Operation != "search" || !e.SingleResult || e.Op == nil || e.Op.Custom {
			continue
		}
		params := PathParams(e.Path)
		var eqs []*dsl.FilterSpec
		for _, fs := range e.FilterSpecs {
			if fs.Op == "eq" {
				eqs = append(eqs, fs)
			}
		}
		for _, fs := range eqs {
			param := fs.PathParam
			if param == "" && len(params) == 1 && len(eqs) == 1 {
				param = params[0] // the only placeholder, the only filter
			}
			a := c.filterAttribute(fs.Attr.Name)
			if a == nil || param == "" || !containsString(params, param) {
				continue
			}
			out = append(out, Key{Attr: a, Param: param, Method: "GET", Path: e.Path, Operation: "search", How: "filter",
				Source: dsl.Source{File: e.Op.Class.Script.File.Path, Line: e.Range.Start.Line + 1, From: "script", Range: e.Range, Abs: e.Op.Class.Script.File.Abs}})
		}
	}
	// Documented endpoints, the plainest first: /users/{username} says
	// more about users than /quota/groups/{group}/users/{username}.
	docEndpoints := append([]DocEndpoint(nil), c.DocEndpoints...)
	sort.SliceStable(docEndpoints, func(i, j int) bool {
		a, b := docEndpoints[i], docEndpoints[j]
		if len(a.PathParams) != len(b.PathParams) {
			return len(a.PathParams) < len(b.PathParams)
		}
		return len(a.Path) < len(b.Path)
	})
	for _, e := range docEndpoints {
		switch e.Operation {
		case "get", "update", "delete":
		default:
			continue
		}
		if len(e.PathParams) == 0 {
			continue
		}
		param := e.PathParams[len(e.PathParams)-1]
		a, how := c.PlaceholderAttribute(e.Endpoint, param)
		if a == nil {
			continue
		}
		out = append(out, Key{Attr: a, Param: param, Method: e.Method, Path: e.Path, Operation: e.Operation, How: how, Source: e.Source})
	}
	return out
}

// Filters returns the eq and contains filters of the class's searches.
func (c *Class) Filters() []Filter {
	var out []Filter
	for _, e := range c.Endpoints {
		if e.Operation != "search" || e.Op == nil {
			continue
		}
		for _, fs := range e.FilterSpecs {
			if fs.Op != "eq" && fs.Op != "contains" {
				continue
			}
			a := c.filterAttribute(fs.Attr.Name)
			if a == nil {
				continue
			}
			f := Filter{Attr: a, Op: fs.Op, Path: e.Path, Single: e.SingleResult, Param: fs.PathParam}
			if e.Op.Custom {
				f.Path = ""
			}
			if f.Param == "" {
				f.Param = fs.QueryParam
			}
			out = append(out, f)
		}
	}
	return out
}

// filterAttribute is the attribute a search filter names: attribute("x")
// in a search takes the attribute's own (native) name.
func (c *Class) filterAttribute(name string) *Attribute {
	if a := c.Attribute(name); a != nil {
		return a
	}
	return c.AttributeForRemote(name)
}

// PlaceholderAttribute returns the attribute of the class that fills a
// path placeholder of a documented endpoint, and how connls knows: the
// documentation says so, the placeholder is the attribute's name, it
// names the class and the attribute is the class's name, or the
// attribute's description names it. It returns nil when nothing tells.
func (c *Class) PlaceholderAttribute(e *docs.Endpoint, param string) (*Attribute, string) {
	p := lowerAlnum(param)
	if p == "" {
		return nil, ""
	}
	usable := func(a *Attribute) bool {
		return a != nil && !a.MultiValued && !a.Complex && !a.Reference && !strings.Contains(a.Name, ".")
	}
	for _, a := range c.Attributes {
		if usable(a) && lowerAlnum(a.Name) == p {
			return a, "name"
		}
	}
	class := lowerAlnum(c.Name)
	// {userId} and {user_id} are the id of a User.
	if p == class+"id" || p == class+"uuid" {
		for _, a := range c.Attributes {
			if usable(a) && (lowerAlnum(a.Name) == "id" || lowerAlnum(a.Name) == "uuid") {
				return a, "class"
			}
		}
	}
	// {org} of an Organization, {user} of a User: the class's name.
	if p == class || len(p) >= 3 && strings.HasPrefix(class, p) || p == class+"name" {
		for _, want := range []string{"name", "login", "username", "slug", "handle", "key", "code"} {
			for _, a := range c.Attributes {
				if usable(a) && lowerAlnum(a.Name) == want {
					return a, "class"
				}
			}
		}
	}
	// {username} is the login whose description reads "the user's
	// username": one attribute's description names the placeholder.
	var found *Attribute
	for _, a := range c.Attributes {
		if !usable(a) || a.Description == "" {
			continue
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Description), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
		}) {
			if lowerAlnum(w) == p {
				if found != nil && found != a {
					return nil, "" // two attributes claim it: do not guess
				}
				found = a
			}
		}
	}
	if found != nil {
		return found, "description"
	}
	return nil, ""
}

// PathParams returns the placeholders of a path, without braces.
func PathParams(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
