package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// SearchPlan is the decided search operation of a class: the collection
// endpoint that lists every object (with its paging and filters) and the
// get-by-key endpoints that read one.
type SearchPlan struct {
	Class string        `json:"class"`
	List  *ListEndpoint `json:"list,omitempty"`
	Gets  []GetEndpoint `json:"gets,omitempty"`
	// NoList says why no endpoint lists every object.
	NoList string `json:"noList,omitempty"`
}

// ListEndpoint is the collection endpoint of a search.
type ListEndpoint struct {
	Path    string `json:"path"`
	Doc     string `json:"doc"`
	Array   bool   `json:"array,omitempty"`   // the response is a JSON array
	Items   string `json:"items,omitempty"`   // where the array is in a response object
	Paging  string `json:"paging,omitempty"`  // page, offset, cursor, link, or ""
	SizeArg string `json:"sizeArg,omitempty"` // the page size parameter
	PageArg string `json:"pageArg,omitempty"` // the page number or offset parameter
	// PagingNote says what the framework cannot follow (a cursor).
	PagingNote string         `json:"pagingNote,omitempty"`
	Filters    []SearchFilter `json:"filters,omitempty"`
}

// SearchFilter is a documented query parameter that filters on an
// attribute.
type SearchFilter struct {
	Attr  string `json:"attr"`
	Op    string `json:"op"` // eq or contains
	Param string `json:"param"`
	Why   string `json:"why,omitempty"`
}

// GetEndpoint reads one object by a key in its path.
type GetEndpoint struct {
	Path  string `json:"path"`
	Doc   string `json:"doc"`
	Attr  string `json:"attr"`
	Param string `json:"param"`
	Role  string `json:"-"` // UID or NAME, for the notes only
}

func planSearch(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	reg := opFileRegion(req.Model, u, c, c.Name+".search.groovy")
	view := regionView(c, reg)
	if len(DeclaredAttributes(view)) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Please declare them (connls generate native --class %s) before the search operation.", c.Name, c.Name)}
	}
	for _, e := range view.Endpoints {
		// A search that lists only by a filter (the support search of a
		// relationship: the members of one group) is not the class's
		// search: the framework allows one default endpoint, not one
		// endpoint.
		if e.Operation == "search" && e.Op != nil && e.Op.Class != nil && !filteredOnly(e) {
			return planned{}, notFound{fmt.Sprintf("%s already declares the search of %s; a second one would clash (\"Multiple default endpoints are not supported\"): edit it there.", e.Op.Class.Script.File.Path, c.Name)}
		}
	}
	if err := progressDocs(ctx, req.Progress, "endpoints", chunks); err != nil {
		return planned{}, err
	}
	plan := ChooseSearch(u, view)
	if plan.List == nil && len(plan.Gets) == 0 {
		return planned{}, notFound{fmt.Sprintf("No endpoint found for searching %s: the documentation shows no GET that lists them without a parent, nor one that reads one by an identifier. Document the search endpoint first.", c.Name)}
	}
	var notes []string
	if plan.List != nil {
		notes = append(notes, fmt.Sprintf("lists %s with GET %s (%s)", c.Name, plan.List.Path, plan.List.Doc))
		if plan.List.PagingNote != "" {
			notes = append(notes, plan.List.PagingNote)
		}
	} else {
		notes = append(notes, plan.NoList)
	}
	for _, g := range plan.Gets {
		notes = append(notes, fmt.Sprintf("reads one %s by %s (%s) with GET %s", c.Name, g.Attr, g.Role, g.Path))
	}
	title := fmt.Sprintf("Generate search for %s", c.Name)
	if plan.List != nil {
		title += ": GET " + plan.List.Path
	}
	if reg.exists {
		title = "Re" + strings.ToLower(title[:1]) + title[1:]
	}
	return planned{kind: KindSearch, code: plan.code(), title: title, notes: notes, inputs: struct {
		Kind string
		Plan *SearchPlan
	}{"search", plan}, region: reg, manifestSection: "operation"}, nil
}

// ChooseSearch decides the search of a class from its documented
// endpoints: the plainest GET that lists the class without a parent
// placeholder, and the item GETs keyed by the UID or NAME.
func ChooseSearch(u *analysis.Unit, c *analysis.Class) *SearchPlan {
	p := &SearchPlan{Class: c.Name}
	id := searchIdentity(c)
	var lists []analysis.DocEndpoint
	for _, e := range c.DocEndpoints {
		// The current user's list (/user/teams) is not every object.
		if e.Operation == "search" && e.Method == "GET" && len(e.PathParams) == 0 && !mine(e.Path) {
			lists = append(lists, e)
		}
	}
	// The one that can read an object back by its UID first (the
	// framework reads objects by a filter on the UID), then the plainest:
	// fewest segments, then the shortest.
	listed := make([]*ListEndpoint, len(lists))
	for i, e := range lists {
		listed[i] = listEndpoint(u, c, e, id)
	}
	byUID := func(l *ListEndpoint) bool {
		for _, f := range l.Filters {
			if f.Attr == id.uid && f.Op == "eq" {
				return true
			}
		}
		return false
	}
	idx := make([]int, len(lists))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := lists[idx[i]], lists[idx[j]]
		if ua, ub := byUID(listed[idx[i]]), byUID(listed[idx[j]]); ua != ub {
			return ua
		}
		if sa, sb := strings.Count(a.Path, "/"), strings.Count(b.Path, "/"); sa != sb {
			return sa < sb
		}
		if len(a.Path) != len(b.Path) {
			return len(a.Path) < len(b.Path)
		}
		return a.Path < b.Path
	})
	if len(lists) > 0 {
		p.List = listed[idx[0]]
	} else {
		p.NoList = fmt.Sprintf("no documented GET lists every %s (only lists inside a parent, if any): the search reads one object by its key; listing them all needs a custom search", c.Name)
	}
	seen := map[string]bool{}
	for _, k := range c.Keys() {
		if k.Operation != "get" || k.Attr == nil {
			continue
		}
		if !k.Attr.Readable {
			// /users/{username} takes a create-only username; the
			// attribute reads return and whose description names the
			// placeholder ("the user's username") is the key.
			k.Attr = describedAs(c, k.Param, id)
		}
		if k.Attr == nil || len(k.Attr.Decls) == 0 || !k.Attr.Readable {
			continue
		}
		role := ""
		switch k.Attr.Name {
		case id.uid:
			role = "UID"
		case id.name:
			role = "NAME"
		default:
			continue
		}
		if seen[role] || seen[k.Path] {
			continue
		}
		seen[role], seen[k.Path] = true, true
		var e *analysis.DocEndpoint
		for i := range c.DocEndpoints {
			if c.DocEndpoints[i].Path == k.Path && c.DocEndpoints[i].Method == "GET" {
				e = &c.DocEndpoints[i]
				break
			}
		}
		if e == nil || len(e.PathParams) != 1 {
			continue // a key inside a parent: the parent's value is not known
		}
		p.Gets = append(p.Gets, GetEndpoint{Path: scriptPath(u, *e), Doc: docRef(*e), Attr: k.Attr.Name, Param: k.Param, Role: role})
	}
	// By path, not by role: which of the two is the UID may follow from
	// this very search (connid takes a single-result search as evidence).
	sort.SliceStable(p.Gets, func(i, j int) bool { return p.Gets[i].Path < p.Gets[j].Path })
	return p
}

// describedAs returns the UID or NAME attribute whose description names
// a placeholder, or nil.
func describedAs(c *analysis.Class, param string, id identity) *analysis.Attribute {
	for _, name := range []string{id.uid, id.name} {
		a := c.Attribute(name)
		if a != nil && a.Readable && strings.Contains(strings.ToLower(a.Description), strings.ToLower(param)) {
			return a
		}
	}
	return nil
}

// mentionsWord reports whether a text has a word, ignoring case.
func mentionsWord(text, word string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_')
	}) {
		if w == strings.ToLower(word) {
			return true
		}
	}
	return false
}

// searchIdentity is the class's UID and NAME: as mapped, else as connid
// would map them, so that a search generated before the mapping is the
// one generated after it.
func searchIdentity(c *analysis.Class) identity {
	id := identityOf(c)
	if id.name == "" {
		if p := ChooseConnID(c); p.CopyName == "" {
			id.name = p.NAME
		}
	}
	return id
}

// mine reports whether a path is the current user's (/user/repos, /me/...).
func mine(path string) bool {
	first := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)[0]
	return first == "user" || first == "me" || first == "my"
}

func docRef(e analysis.DocEndpoint) string {
	return fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line)
}

// Names of paging parameters, lower case.
var (
	pageNames   = []string{"page", "page_number", "pagenumber", "pagenum", "pageno", "p"}
	sizeNames   = []string{"limit", "per_page", "perpage", "page_size", "pagesize", "size", "count", "pagelen", "max", "maxresults", "max_results", "top", "$top"}
	offsetNames = []string{"offset", "start", "startindex", "start_index", "skip", "$skip", "from"}
	cursorNames = []string{"cursor", "after", "page_token", "pagetoken", "next_token", "nexttoken", "continuation", "continuationtoken", "starting_after", "marker", "since"}
	searchNames = []string{"q", "query", "search", "keyword", "term", "filter"}
)

func paramNamed(e analysis.DocEndpoint, names []string) string {
	for _, n := range names {
		for _, p := range e.Params {
			if p.In == "query" && strings.ToLower(p.Name) == n {
				return p.Name
			}
		}
	}
	return ""
}

// listEndpoint reads the collection endpoint: its response shape, paging
// and filters.
func listEndpoint(u *analysis.Unit, c *analysis.Class, e analysis.DocEndpoint, id identity) *ListEndpoint {
	l := &ListEndpoint{Path: scriptPath(u, e), Doc: docRef(e), Array: e.ResponseArray, Items: e.ResponseItems}
	size := paramNamed(e, sizeNames)
	page, offset, cursor := paramNamed(e, pageNames), paramNamed(e, offsetNames), paramNamed(e, cursorNames)
	link := false
	for _, h := range e.ResponseHeaders {
		link = link || strings.EqualFold(h, "Link")
	}
	switch {
	case page != "":
		l.Paging, l.PageArg, l.SizeArg = "page", page, size
	case offset != "":
		l.Paging, l.PageArg, l.SizeArg = "offset", offset, size
	case cursor != "":
		l.Paging, l.SizeArg = "cursor", size
		l.PagingNote = fmt.Sprintf("GET %s pages with a cursor (%s), which the framework's paging cannot carry from one response to the next: each request asks for a page of the size midPoint wants; reading further pages needs a custom search", e.Path, cursor)
	case link:
		l.Paging, l.SizeArg = "link", size
		l.PagingNote = fmt.Sprintf("GET %s links to the next page in its Link header, which the framework's paging does not follow: each request asks for a page of the size midPoint wants; reading further pages needs a custom search", e.Path)
	case size != "":
		l.Paging, l.SizeArg = "size", size
	}
	used := map[string]bool{size: true, page: true, offset: true, cursor: true}
	// Filters: a query parameter named like a declared attribute filters
	// on it; a keyword search filters NAME by contains.
	for _, p := range e.Params {
		if p.In != "query" || used[p.Name] {
			continue
		}
		a := c.AttributeForRemote(p.Name)
		why := fmt.Sprintf("the query parameter %s is named after it", p.Name)
		if a == nil && isIDLike(p.Name) && id.uid != "" && mentionsWord(p.Description, id.uid) {
			// uid: "ID of the user to search for".
			a = c.Attribute(id.uid)
			why = fmt.Sprintf("the query parameter %s is documented as the %s: %q", p.Name, id.uid, shortLine(p.Description, 80))
		}
		if a == nil || len(a.Decls) == 0 || !a.Readable || a.MultiValued || a.Complex {
			continue
		}
		used[p.Name] = true
		l.Filters = append(l.Filters, SearchFilter{Attr: a.Name, Op: "eq", Param: p.Name, Why: why})
	}
	if q := paramNamed(e, searchNames); q != "" && !used[q] && id.name != "" {
		if a := c.Attribute(id.name); a != nil && len(a.Decls) > 0 {
			l.Filters = append(l.Filters, SearchFilter{Attr: id.name, Op: "contains", Param: q,
				Why: fmt.Sprintf("%s is the API's keyword search; it may match other attributes too, which midPoint filters out again", q)})
		}
	}
	return l
}

// code writes the search in the framework's style.
func (p *SearchPlan) code() string {
	var b strings.Builder
	fmt.Fprintf(&b, "objectClass(%s) {\n    search {\n", Quote(p.Class))
	in := "        "
	first := true
	if l := p.List; l != nil {
		first = false
		fmt.Fprintf(&b, "%s// GET %s lists every %s, as documented in %s\n", in, l.Path, p.Class, strings.SplitN(l.Doc, ":", 2)[0])
		fmt.Fprintf(&b, "%sendpoint(%s) {\n", in, Quote(l.Path))
		listShape(&b, in, l)
		fmt.Fprintf(&b, "%s    emptyFilterSupported true\n", in)
		for _, f := range l.Filters {
			b.WriteString("\n")
			comment(&b, in+"    ", "// ", f.Why)
			fmt.Fprintf(&b, "%s    supportedFilter(attribute(%s).%s().anySingleValue()) {\n", in, Quote(f.Attr), f.Op)
			fmt.Fprintf(&b, "%s        request.queryParameter(%s, value)\n", in, Quote(f.Param))
			fmt.Fprintf(&b, "%s    }\n", in)
		}
		fmt.Fprintf(&b, "%s}\n", in)
	} else if p.NoList != "" {
		comment(&b, in, "// ", p.NoList)
		b.WriteString("\n")
	}
	for _, g := range p.Gets {
		if !first {
			b.WriteString("\n")
		}
		first = false
		fmt.Fprintf(&b, "%s// GET %s reads one %s by %s, as documented in %s\n", in, g.Path, p.Class, g.Attr, strings.SplitN(g.Doc, ":", 2)[0])
		fmt.Fprintf(&b, "%sendpoint(%s) {\n", in, Quote(g.Path))
		fmt.Fprintf(&b, "%s    singleResult()\n", in)
		fmt.Fprintf(&b, "%s    supportedFilter(attribute(%s).eq().anySingleValue()) {\n", in, Quote(g.Attr))
		fmt.Fprintf(&b, "%s        request.pathParameter(%s, value)\n", in, Quote(g.Param))
		fmt.Fprintf(&b, "%s    }\n", in)
		fmt.Fprintf(&b, "%s}\n", in)
	}
	b.WriteString("    }\n}\n")
	return b.String()
}

// opFileRegion finds where an operation of a class goes: the whole of
// its file (X.search.groovy, X.create.op.groovy) when every block there
// is the class's, else the class's block in it, else the end of it; a new
// file when there is none.
func opFileRegion(m *analysis.Model, u *analysis.Unit, c *analysis.Class, name string) region {
	dir := u.Dir
	for _, b := range append(append([]*dsl.ClassBlock{}, c.Blocks...), c.OpBlocks...) {
		dir = filepath.Dir(b.Script.File.Abs)
		break
	}
	for _, b := range c.OpBlocks {
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
		end := f.Lines().Pos(len(f.Text))
		var own *dsl.ClassBlock
		owned := true
		for _, b := range s.Classes {
			if strings.EqualFold(b.Name, c.Name) {
				own = b
			} else {
				owned = false
			}
		}
		switch {
		case owned:
			return wholeFile(f, abs)
		case own != nil:
			return blockRegion(f, own.Range, true)
		}
		return region{file: f, abs: abs, rng: workspace.Range{Start: end, End: end}}
	}
	return region{abs: abs}
}

// wholeFile is the region of a whole file a generator owns, up to its
// last line's end: the file's final newline stays outside, as after any
// block.
func wholeFile(f *workspace.File, abs string) region {
	text := strings.TrimRight(string(f.Text), " \t\r\n")
	end := f.Lines().Pos(len(text))
	return region{file: f, abs: abs, rng: workspace.Range{End: end}, exists: text != "", whole: true}
}

// listShape writes what a list endpoint's block says of its response and
// paging: the response format or object extractor, a note on paging the
// framework cannot follow, and the paging parameters.
func listShape(b *strings.Builder, in string, l *ListEndpoint) {
	switch {
	case l.Array:
		fmt.Fprintf(b, "%s    responseFormat JSON_ARRAY\n", in)
	case l.Items != "":
		fmt.Fprintf(b, "%s    objectExtractor {\n", in)
		fmt.Fprintf(b, "%s        return response.body()", in)
		for _, part := range strings.Split(l.Items, ".") {
			fmt.Fprintf(b, ".get(%s)", Quote(part))
		}
		b.WriteString("\n")
		fmt.Fprintf(b, "%s    }\n", in)
	}
	if l.PagingNote != "" {
		comment(b, in+"    ", "// ", l.PagingNote)
	}
	var calls []string
	if l.SizeArg != "" {
		calls = append(calls, fmt.Sprintf("queryParameter(%s, paging.pageSize)", Quote(l.SizeArg)))
	}
	switch l.Paging {
	case "page":
		calls = append(calls, fmt.Sprintf("queryParameter(%s, paging.pageOffset)", Quote(l.PageArg)))
	case "offset":
		// pageOffset is the page number, from 1; the API counts
		// objects from 0.
		calls = append(calls, fmt.Sprintf("queryParameter(%s, (paging.pageOffset - 1) * paging.pageSize)", Quote(l.PageArg)))
	}
	if len(calls) > 0 {
		fmt.Fprintf(b, "%s    pagingSupport {\n", in)
		fmt.Fprintf(b, "%s        request.%s", in, calls[0])
		for _, c := range calls[1:] {
			fmt.Fprintf(b, "\n%s                .%s", in, c)
		}
		b.WriteString("\n")
		fmt.Fprintf(b, "%s    }\n", in)
	}
}

// filteredOnly reports whether a search endpoint answers only filtered
// searches: it has filters and does not say it lists everything, and
// reads more than one object.
func filteredOnly(e *dsl.Endpoint) bool {
	empty := e.SupportedFilters == 0
	if e.EmptyFilter != nil {
		empty = *e.EmptyFilter
	}
	return !empty && !e.SingleResult
}
