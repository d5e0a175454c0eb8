package generate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// KindRelations writes a relationship between two classes and the
// searches that resolve it. It belongs to a pair of classes, not to one:
// Request.Class names the relationship (UserOrganizationMembership).
const KindRelations Kind = "relations"

// A relationship comes from documented sub-collections: GET
// /orgs/{org}/members lists the users of one organization, so a user
// can be found by the organization it belongs to. The framework resolves
// a reference attribute by searching the other class with a filter on
// the attribute that points back (resolver { search {
// attributeFilter("member").eq(value) } }), and a search endpoint that
// supports that filter fills the sub-collection's placeholder with the
// referenced object's UID or NAME (the support search,
// request.pathParameter("org", value.value.uid)). This is the shape of
// Evolveum's Forgejo connector.

// Relation is a relationship found in the documentation.
type Relation struct {
	Name string `json:"name"`
	// Subject is the member side (User), Object the side that holds
	// members (Organization); SubjectAttr is the subject's reference to
	// the object, ObjectAttr the object's reference to its subjects.
	Subject     string `json:"subject"`
	Object      string `json:"object"`
	SubjectAttr string `json:"subjectAttr"`
	ObjectAttr  string `json:"objectAttr"`
	// OfObject is the sub-collection of an object that lists its
	// subjects (GET /orgs/{org}/members), OfSubject the reverse (GET
	// /users/{username}/orgs); at least one is documented.
	OfObject  *SubCollection `json:"ofObject,omitempty"`
	OfSubject *SubCollection `json:"ofSubject,omitempty"`
	// Declared is set when a script of the unit relates the two classes
	// already.
	Declared bool `json:"declared,omitempty"`
}

// SubCollection is a documented GET /P/{p}/Items that lists the Items
// of one P.
type SubCollection struct {
	Parent, Item string
	List         *ListEndpoint
	Placeholder  string // p
	// Fill is what of the referenced parent fills the placeholder:
	// "uid" or "name", as the framework's reference carries them.
	Fill string
	Attr string // the parent's attribute the placeholder takes
	seg  string // the collection's last segment: members
}

// FindRelations lists the relationships the unit's documentation shows,
// by name.
func FindRelations(u *analysis.Unit) []*Relation {
	type pair struct{ a, b string }
	links := map[pair]*SubCollection{} // parent, item
	for _, c := range u.Classes {
		if c.Scim || c.Embedded || !isResource(c) {
			continue
		}
		for _, e := range c.DocEndpoints {
			l := subCollection(u, c, e)
			if l == nil {
				continue
			}
			k := pair{l.Parent, l.Item}
			// Several lists of the same pair (members, public_members):
			// the plainest.
			if old := links[k]; old == nil || len(l.List.Path) < len(old.List.Path) || len(l.List.Path) == len(old.List.Path) && l.List.Path < old.List.Path {
				links[k] = l
			}
		}
	}
	seen := map[pair]bool{}
	var out []*Relation
	var keys []pair
	for k := range links {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].a != keys[j].a {
			return keys[i].a < keys[j].a
		}
		return keys[i].b < keys[j].b
	})
	for _, k := range keys {
		a, b := k.a, k.b
		if a > b {
			a, b = b, a
		}
		if seen[pair{a, b}] {
			continue
		}
		seen[pair{a, b}] = true
		ab, ba := links[pair{a, b}], links[pair{b, a}] // a holds bs; b holds as
		r := &Relation{}
		// The side listed as a parent's members is the subject: a user is
		// a member of an organization (/orgs/{org}/members); with no
		// such word, the items of the one documented direction; with
		// both and no word, by name, to be deterministic.
		switch {
		case ab != nil && ba != nil && member(ba.seg) && !member(ab.seg):
			r.Subject, r.Object, r.OfObject, r.OfSubject = a, b, ba, ab
		case ab != nil && ba != nil:
			r.Subject, r.Object, r.OfObject, r.OfSubject = b, a, ab, ba
		case ab != nil:
			r.Subject, r.Object, r.OfObject = b, a, ab
		default:
			r.Subject, r.Object, r.OfObject = a, b, ba
		}
		if old := declaredRelation(u, a, b); old != nil {
			// The scripts relate the two already: their name, sides and
			// attributes stay, and connls regenerates that relationship.
			if !strings.EqualFold(old.Subject.Class, r.Subject) {
				r.OfObject, r.OfSubject = r.OfSubject, r.OfObject
			}
			r.Name, r.Subject, r.Object = old.Name, old.Subject.Class, old.Object.Class
			r.SubjectAttr, r.ObjectAttr = old.Subject.Attribute.Name, old.Object.Attribute.Name
			r.Declared = true
			out = append(out, r)
			continue
		}
		r.Name = r.Subject + r.Object + "Membership"
		r.SubjectAttr = refName(u.Class(r.Subject), r.Name, lowerFirst(r.Object))
		objAttr := lowerFirst(r.Subject)
		if r.OfObject != nil {
			objAttr = singular(r.OfObject.seg)
		}
		r.ObjectAttr = refName(u.Class(r.Object), r.Name, objAttr)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// subCollection reads a documented GET /P/{p}/Items of class c: one
// placeholder, filled by an attribute of another class of the unit that
// a reference carries (its UID or NAME), right before the last segment.
func subCollection(u *analysis.Unit, c *analysis.Class, e analysis.DocEndpoint) *SubCollection {
	if e.Method != "GET" || e.Operation != "search" || len(e.PathParams) != 1 || len(e.Placeholders) != 1 || mine(e.Path) {
		return nil
	}
	if !e.ResponseArray && e.ResponseItems == "" {
		return nil
	}
	ph := e.Placeholders[0]
	segs := strings.Split(strings.Trim(e.Path, "/"), "/")
	if len(segs) < 3 || segs[len(segs)-2] != "{"+ph.Name+"}" || strings.HasPrefix(segs[len(segs)-1], "{") {
		return nil
	}
	p := u.Class(ph.Class)
	if p == nil || p == c || p.Scim || p.Embedded || !isResource(p) {
		return nil
	}
	id := searchIdentity(p)
	fill := ""
	switch ph.Attribute {
	case "":
		return nil
	case id.uid:
		fill = "uid"
	case id.name:
		fill = "name"
	default:
		return nil // the reference carries only the UID and NAME
	}
	l := listEndpoint(u, c, e, searchIdentity(c))
	l.Filters = nil // the support search filters by the parent only
	return &SubCollection{Parent: p.Name, Item: c.Name, List: l, Placeholder: ph.Name, Fill: fill, Attr: ph.Attribute, seg: segs[len(segs)-1]}
}

// declaredRelation is the relationship a script of the unit declares
// between two classes, with an attribute on each side, or nil.
func declaredRelation(u *analysis.Unit, a, b string) *dsl.Relationship {
	for _, s := range u.Scripts {
		for _, rel := range s.Relationships {
			if rel.Subject == nil || rel.Object == nil || rel.Subject.Attribute == nil || rel.Object.Attribute == nil {
				continue
			}
			x, y := rel.Subject.Class, rel.Object.Class
			if strings.EqualFold(x, a) && strings.EqualFold(y, b) || strings.EqualFold(x, b) && strings.EqualFold(y, a) {
				return rel
			}
		}
	}
	return nil
}

func member(seg string) bool { return strings.Contains(strings.ToLower(seg), "member") }

// refName is the name of a relationship's attribute on a class: the
// wanted name, unless the class has an attribute of that name of its own
// (documented or declared), which the participant would turn into a
// reference.
func refName(c *analysis.Class, rel, want string) string {
	if c == nil {
		return want
	}
	a := c.Attribute(want)
	if a == nil {
		return want
	}
	if len(a.Decls) > 0 {
		ours := true
		for _, d := range a.Decls {
			ours = ours && d.FromRelationship == rel
		}
		if ours {
			return want
		}
	}
	return want + "Ref"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// singular is a collection segment's item: members, repositories;
// access-profiles is accessProfile, as an attribute is named.
func singular(seg string) string {
	if parts := strings.Split(seg, "-"); len(parts) > 1 {
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		seg = strings.Join(parts, "")
	}
	switch {
	case strings.HasSuffix(seg, "ies") && len(seg) > 3:
		return seg[:len(seg)-3] + "y"
	case strings.HasSuffix(seg, "sses"):
		return seg[:len(seg)-2]
	case strings.HasSuffix(seg, "s") && !strings.HasSuffix(seg, "ss") && len(seg) > 1:
		return seg[:len(seg)-1]
	}
	return seg
}

// RelationsText lists relationships, one a line, for a face to show.
func RelationsText(rels []*Relation) string {
	var b strings.Builder
	for _, r := range rels {
		fmt.Fprintf(&b, "%s: %s.%s -> %s, %s.%s -> %s", r.Name, r.Subject, r.SubjectAttr, r.Object, r.Object, r.ObjectAttr, r.Subject)
		var via []string
		if r.OfObject != nil {
			via = append(via, "GET "+r.OfObject.List.Path)
		}
		if r.OfSubject != nil {
			via = append(via, "GET "+r.OfSubject.List.Path)
		}
		fmt.Fprintf(&b, " (%s)\n", strings.Join(via, ", "))
	}
	return b.String()
}

// relationUnits are the units a request looks in.
func relationUnits(req Request) []*analysis.Unit {
	if req.Unit != nil {
		return []*analysis.Unit{req.Unit}
	}
	return req.Model.Units
}

// generateRelations writes the relationship req.Class names into
// associations.schema.groovy and its support searches into
// <Subject>.<attribute>.support.search.groovy.
func generateRelations(ctx context.Context, req Request) (*Result, error) {
	if req.Progress == nil {
		req.Progress = func(string, string, int, int) {}
	}
	var (
		u     *analysis.Unit
		r     *Relation
		known []string
	)
	for _, x := range relationUnits(req) {
		for _, rel := range FindRelations(x) {
			known = append(known, rel.Name)
			if r == nil && strings.EqualFold(rel.Name, req.Class) {
				u, r = x, rel
			}
		}
	}
	if r == nil {
		if len(known) == 0 {
			return nil, notFound{"No relationship found in the workspace's API descriptions: none documents a sub-collection (GET /groups/{id}/members) that lists objects of one class inside an object of another, with a placeholder the referenced object's UID or NAME fills."}
		}
		return nil, notFound{fmt.Sprintf("relationship %q not found; the documentation shows %s", req.Class, strings.Join(known, ", "))}
	}
	req.Progress("relations", "sub-collections of the descriptions", 1, 1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var notes []string
	for _, l := range []*SubCollection{r.OfObject, r.OfSubject} {
		if l == nil {
			continue
		}
		notes = append(notes, fmt.Sprintf("GET %s lists the %s of one %s (%s): {%s} takes its %s (%s)", l.List.Path, l.Item, l.Parent, l.List.Doc, l.Placeholder, l.Attr, strings.ToUpper(l.Fill)))
	}
	if r.OfSubject == nil {
		notes = append(notes, fmt.Sprintf("no documented GET lists the %s of one %s: %s.%s has no resolver", r.Object, r.Subject, r.Subject, r.SubjectAttr))
	}
	if r.OfObject == nil {
		notes = append(notes, fmt.Sprintf("no documented GET lists the %s of one %s: %s.%s has no resolver", r.Subject, r.Object, r.Object, r.ObjectAttr))
	}
	fake := &analysis.Class{Name: r.Name}
	schema := planned{kind: KindRelations, code: r.schemaCode(), title: "Generate relationship " + r.Name, notes: notes,
		inputs: struct {
			Kind string
			Rel  *Relation
		}{"relations", r}, region: relationRegion(req.Model, u, r.Name), manifestSection: "schema"}
	res, err := place(req, u, fake, schema)
	if err != nil {
		return nil, err
	}
	if schema.region.exists {
		res.Title = "Regenerate relationship " + r.Name
	}
	support := planned{kind: KindRelations, code: r.supportCode(), inputs: schema.inputs,
		region: supportRegion(req.Model, u, r.SupportFile()), manifestSection: "operation"}
	sres, err := place(req, u, fake, support)
	if err != nil {
		return nil, err
	}
	return joinResults(res, sres)
}

// SupportFile is the name of the support searches' script, as Forgejo
// names it: User.organization.support.search.groovy.
func (r *Relation) SupportFile() string {
	return r.Subject + "." + r.SubjectAttr + ".support.search.groovy"
}

// joinResults puts the support searches' result after the
// relationship's: one result, one manifest change.
func joinResults(a, b *Result) (*Result, error) {
	out := *a
	out.Code = a.Code + "\n" + b.Code
	out.Notes = append(append([]string(nil), a.Notes...), b.Notes...)
	out.Confirm = a.Confirm || b.Confirm
	switch {
	case a.Status == b.Status:
	case a.Status == "proposal" || b.Status == "proposal":
		out.Status = "proposal"
	case a.Status == "unchanged":
		out.Status = b.Status
	}
	out.Changes = append([]FileChange(nil), a.Changes...)
	for _, c := range b.Changes {
		merged := false
		for i := range out.Changes {
			o := &out.Changes[i]
			if o.Abs != c.Abs {
				continue
			}
			if o.Before != c.Before {
				return nil, errors.New("internal error: two changes of " + c.Path + " from different texts")
			}
			o.Edits = append(o.Edits, c.Edits...)
			o.After = applyEdits(o.Before, o.Edits)
			merged = true
		}
		if !merged {
			out.Changes = append(out.Changes, c)
		}
	}
	return &out, nil
}

// relationRegion is the relationship's block wherever a script of the
// unit declares it, else the end of the script that declares the unit's
// other relationships (Forgejo's associations.new.schema.groovy), else
// of associations.schema.groovy.
func relationRegion(m *analysis.Model, u *analysis.Unit, name string) region {
	abs := filepath.Join(u.Dir, "associations.schema.groovy")
	found := false
	for _, s := range u.Scripts {
		for _, rel := range s.Relationships {
			if rel.Name == name {
				return blockRegion(m.FileOf(s), rel.Range, false)
			}
			if !found && strings.HasSuffix(s.File.Abs, ".groovy") {
				abs, found = s.File.Abs, true
			}
		}
	}
	for _, s := range u.Scripts {
		if s.File.Abs == abs {
			f := m.FileOf(s)
			end := f.Lines().Pos(len(f.Text))
			return region{file: f, abs: abs, rng: workspace.Range{Start: end, End: end}}
		}
	}
	return region{abs: abs}
}

// supportRegion is the whole support script, which holds only what
// connls generates for the relationship.
func supportRegion(m *analysis.Model, u *analysis.Unit, name string) region {
	abs := filepath.Join(u.Dir, name)
	for _, s := range u.Scripts {
		if s.File.Abs == abs {
			return wholeFile(m.FileOf(s), abs)
		}
	}
	return region{abs: abs}
}

// schemaCode writes the relationship as Forgejo's
// associations.new.schema.groovy does.
func (r *Relation) schemaCode() string {
	var b strings.Builder
	fmt.Fprintf(&b, "relationship(%s) {\n", Quote(r.Name))
	// The subject's attribute is resolved by searching the objects whose
	// attribute points back: the sub-collection of the subject lists them.
	r.participant(&b, "subject", r.Subject, r.SubjectAttr, r.ObjectAttr, r.OfSubject)
	r.participant(&b, "object", r.Object, r.ObjectAttr, r.SubjectAttr, r.OfObject)
	b.WriteString("}\n")
	return b.String()
}

func (r *Relation) participant(b *strings.Builder, side, class, attr, back string, l *SubCollection) {
	fmt.Fprintf(b, "    %s(%s) {\n", side, Quote(class))
	in := "        "
	if l == nil {
		fmt.Fprintf(b, "%s// No documented endpoint lists these: the attribute has no resolver.\n", in)
		fmt.Fprintf(b, "%sattribute(%s)\n", in, Quote(attr))
		fmt.Fprintf(b, "    }\n")
		return
	}
	fmt.Fprintf(b, "%sattribute(%s) {\n", in, Quote(attr))
	// A sub-collection is a list: the attribute holds many.
	fmt.Fprintf(b, "%s    multiValued true\n", in)
	fmt.Fprintf(b, "%s    resolver {\n", in)
	fmt.Fprintf(b, "%s        // finds the %s by %s: GET %s (%s)\n", in, l.Item, back, l.List.Path, r.SupportFile())
	fmt.Fprintf(b, "%s        resolutionType PER_OBJECT\n", in)
	fmt.Fprintf(b, "%s        search {\n", in)
	fmt.Fprintf(b, "%s            attributeFilter(%s).eq(value)\n", in, Quote(back))
	fmt.Fprintf(b, "%s        }\n", in)
	fmt.Fprintf(b, "%s    }\n", in)
	fmt.Fprintf(b, "%s}\n", in)
	fmt.Fprintf(b, "    }\n")
}

// supportCode writes the searches that support the resolvers: each
// sub-collection, as a search of its items filtered by the parent.
func (r *Relation) supportCode() string {
	var b strings.Builder
	first := true
	// The object's resolver searches the subjects; the subject's the
	// objects. Forgejo's file has the objects' search first.
	for _, x := range []struct {
		l    *SubCollection
		attr string
	}{{r.OfSubject, r.ObjectAttr}, {r.OfObject, r.SubjectAttr}} {
		if x.l == nil {
			continue
		}
		if !first {
			b.WriteString("\n")
		}
		first = false
		l := x.l.List
		fmt.Fprintf(&b, "objectClass(%s) {\n    search {\n", Quote(x.l.Item))
		in := "        "
		fmt.Fprintf(&b, "%s// GET %s lists the %s of one %s, as documented in %s\n", in, l.Path, x.l.Item, x.l.Parent, strings.SplitN(l.Doc, ":", 2)[0])
		fmt.Fprintf(&b, "%sendpoint(%s) {\n", in, Quote(l.Path))
		listShape(&b, in, l)
		fmt.Fprintf(&b, "%s    supportedFilter(attribute(%s).eq().anySingleValue()) {\n", in, Quote(x.attr))
		fmt.Fprintf(&b, "%s        request.pathParameter(%s, value.value.%s)\n", in, Quote(x.l.Placeholder), x.l.Fill)
		fmt.Fprintf(&b, "%s    }\n", in)
		fmt.Fprintf(&b, "%s}\n", in)
		b.WriteString("    }\n}\n")
	}
	return b.String()
}
