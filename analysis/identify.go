package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// Candidate is an attribute scored as a UID or NAME, with the reasons.
type Candidate struct {
	Attr    *Attribute
	Score   int
	Reasons []string
	Points  []int // what each reason added
}

// MainReason is the reason that counted most.
func (c *Candidate) MainReason() string {
	best := -1
	for i, p := range c.Points {
		if best < 0 || p > c.Points[best] {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return c.Reasons[best]
}

// Identifiers is the choice of UID and NAME for a class.
type Identifiers struct {
	UID, NAME    *Candidate
	UIDRunnerUp  *Candidate // close second choices, when there are any
	NAMERunnerUp *Candidate
	Single       bool // the class has one identifier: NAME reads the UID's value
	// UIDKey is the update or delete path that addresses objects by the
	// UID, when the UID was chosen for it: people choose such a UID on
	// create (a name), so it stays creatable.
	UIDKey *Key
	// UIDPathParam is UIDKey's placeholder, or "".
	UIDPathParam string
}

// closeScores is the difference under which two candidates are reported
// as a close call.
const closeScores = 10

// evidence is what the workspace says about a class's identifiers beyond
// names and types: how its objects are addressed and searched.
type evidence struct {
	keys    map[*Attribute][]Key
	filters map[*Attribute][]Filter
	eq      map[*Attribute]bool // some search filters on it with eq
	keyed   bool                // some single-result search addresses objects by a key
}

func gather(c *Class) evidence {
	ev := evidence{keys: map[*Attribute][]Key{}, filters: map[*Attribute][]Filter{}, eq: map[*Attribute]bool{}}
	for _, k := range c.Keys() {
		ev.keys[k.Attr] = append(ev.keys[k.Attr], k)
		if k.Operation == "search" {
			ev.keyed = true
		}
	}
	for _, f := range c.Filters() {
		ev.filters[f.Attr] = append(ev.filters[f.Attr], f)
		if f.Op == "eq" {
			ev.eq[f.Attr] = true
		}
	}
	return ev
}

// ChooseIdentifiers scores the class's attributes as UID and NAME and
// picks the best. The UID is the resource-assigned, immutable identifier;
// the NAME the human-readable one. Beyond names and types, the workspace
// says how objects are addressed: the framework fills {id} of update and
// delete paths with the UID and reads an object back by a filter on its
// UID, so the attribute an item path or a single-result search is keyed
// by is the UID; and the attribute searches filter on is the name people
// type.
func ChooseIdentifiers(c *Class) Identifiers {
	ev := gather(c)
	var uids []*Candidate
	// An attribute reads never return (a create-only username, a
	// password) cannot identify the objects a search returns.
	usable := func(a *Attribute) bool {
		return !(a.MultiValued || a.Complex || a.Reference || !a.Readable || strings.Contains(a.Name, "."))
	}
	// When a search of the scripts can read an object back by the
	// identifier its name and flags suggest, that identifier is the UID;
	// how the API addresses objects decides only when it cannot.
	var best *Candidate
	for _, a := range c.Attributes {
		if u := scoreUID(c, a, ev, false); usable(a) && u.Score > 0 && (best == nil || u.Score > best.Score) {
			best = u
		}
	}
	useKeys := len(ev.eq) == 0 || best == nil || !ev.eq[best.Attr]
	for _, a := range c.Attributes {
		if !usable(a) {
			continue
		}
		if u := scoreUID(c, a, ev, useKeys || a == best.Attr); u.Score > 0 {
			uids = append(uids, u)
		}
	}
	order := func(list []*Candidate) {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Score != list[j].Score {
				return list[i].Score > list[j].Score
			}
			return declOrder(list[i].Attr) < declOrder(list[j].Attr)
		})
	}
	order(uids)
	var id Identifiers
	if len(uids) > 0 {
		id.UID = uids[0]
		if len(uids) > 1 && uids[0].Score-uids[1].Score < closeScores {
			id.UIDRunnerUp = uids[1]
		}
		for _, k := range ev.keys[id.UID.Attr] {
			if k.Operation == "update" || k.Operation == "delete" {
				k := k
				id.UIDKey, id.UIDPathParam = &k, k.Param
				break
			}
		}
	}
	var names []*Candidate
	for _, a := range c.Attributes {
		if !usable(a) {
			continue
		}
		if n := scoreName(c, a, ev, id.UID); n.Score > 0 {
			names = append(names, n)
		}
	}
	order(names)
	for i, n := range names {
		if id.UID != nil && n.Attr == id.UID.Attr {
			if i == 0 && id.UIDKey != nil && (len(names) == 1 || names[1].Score <= n.Score-2*closeScores) {
				// The name people choose, well ahead of any other, is
				// what the API addresses objects by: one identifier,
				// for both.
				break
			}
			continue
		}
		id.NAME = n
		for _, m := range names[i+1:] {
			if (id.UID == nil || m.Attr != id.UID.Attr) && n.Score-m.Score < closeScores {
				id.NAMERunnerUp = m
				break
			}
		}
		break
	}
	if id.NAME == nil && id.UID != nil {
		id.Single = true
	}
	return id
}

func declOrder(a *Attribute) int {
	for i, x := range a.Class.Attributes {
		if x == a {
			return i
		}
	}
	return 0
}

func (c *Candidate) add(points int, format string, args ...any) {
	c.Score += points
	c.Reasons = append(c.Reasons, fmt.Sprintf(format, args...))
	c.Points = append(c.Points, points)
}

func lowerAlnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scoreUID scores an attribute as the UID: by its name, flags and type,
// and with keys, by how the API addresses objects.
func scoreUID(c *Class, a *Attribute, ev evidence, keys bool) *Candidate {
	cand := &Candidate{Attr: a}
	n := lowerAlnum(a.Name)
	class := lowerAlnum(c.Name)
	switch {
	case n == "id":
		cand.add(50, "named id")
	case n == "uuid" || n == "guid" || n == "entryuuid":
		cand.add(45, "named %s", a.Name)
	case n == class+"id" || n == class+"uuid":
		cand.add(45, "named after the class")
	case n == class:
		cand.add(35, "named like the class")
	case n == "key" || n == "uid":
		cand.add(30, "named %s", a.Name)
	case strings.HasSuffix(n, "id") && len(n) > 2 && !strings.HasSuffix(n, "valid"):
		cand.add(15, "ends in id")
	case n == "code":
		cand.add(10, "named code")
	}
	// How the API addresses objects outweighs names.
	var update, get bool
	for _, k := range ev.keys[a] {
		if !keys {
			break
		}
		switch {
		case (k.Operation == "update" || k.Operation == "delete") && !update:
			// The framework fills {id} with the UID: when the API wants
			// this attribute there, any other UID breaks update and delete.
			update = true
			cand.add(100, "%s", k.Why())
		case (k.Operation == "search" || k.Operation == "get") && !get:
			get = true
			cand.add(30, "%s", k.Why())
		}
	}
	if cand.Score == 0 {
		return cand
	}
	if keys && ev.keyed && !ev.eq[a] {
		// The framework reads an object back by a filter on its UID.
		cand.add(-50, "no search filters on it with eq, so the framework could not read an object back by it")
	}
	switch {
	case !a.Creatable && !a.Updateable:
		cand.add(30, "assigned by the resource (not creatable, not updateable)")
	case !a.Updateable:
		cand.add(20, "immutable")
	case a.Origin["updateable"] == "script":
		cand.add(-20, "declared updateable")
	}
	switch a.Type {
	case "integer":
		cand.add(5, "an integer")
	case "string", "":
		cand.add(5, "a string")
	case "boolean", "number":
		cand.Score -= 60
	}
	switch a.Format {
	case "uuid":
		cand.add(15, "a UUID")
	case "date", "date-time", "email":
		cand.Score -= 40
	}
	if len(a.Docs) > 0 && (a.Docs[0].Uniqueness == "server" || a.Docs[0].Uniqueness == "global") {
		cand.add(10, "unique")
	}
	return cand
}

func isNameLike(n string) bool {
	switch n {
	case "name", "login", "username", "slug", "handle", "key", "code":
		return true
	}
	return false
}

func scoreName(c *Class, a *Attribute, ev evidence, uid *Candidate) *Candidate {
	cand := &Candidate{Attr: a}
	n := lowerAlnum(a.Name)
	class := lowerAlnum(c.Name)
	switch n {
	case "login", "username", "loginname", "samaccountname", "uid":
		cand.add(45, "named %s", a.Name)
	case "dn", "distinguishedname":
		cand.add(40, "a distinguished name")
	case "name", class + "name":
		cand.add(40, "named %s", a.Name)
	case class:
		cand.add(30, "named like the class")
	case "handle", "slug", "serial", "key", "code":
		cand.add(30, "named %s", a.Name)
	case "email", "mail", "emailaddress", "primaryemail":
		cand.add(28, "an e-mail address")
	case "displayname", "title", "fullname", "label":
		cand.add(25, "named %s", a.Name)
	default:
		if strings.HasSuffix(n, "name") && n != "firstname" && n != "lastname" && n != "givenname" && n != "familyname" && n != "middlename" {
			cand.add(15, "ends in name")
		}
	}
	// What people search by is what they type: the name.
	for _, f := range ev.filters[a] {
		if f.Single {
			continue
		}
		cand.add(25, "%s", f.Why())
		break
	}
	if uid == nil || uid.Attr != a {
		for _, k := range ev.keys[a] {
			if k.Operation == "search" || k.Operation == "get" {
				cand.add(15, "%s", k.Why())
				break
			}
		}
	}
	if cand.Score == 0 {
		return cand
	}
	if a.Required {
		cand.add(20, "required")
	}
	if !a.Creatable {
		cand.add(-30, "not creatable")
	} else if a.Origin["creatable"] != "default" {
		cand.add(5, "creatable")
	}
	switch a.Type {
	case "string", "":
		cand.add(10, "a string")
	case "boolean", "number":
		cand.Score -= 60
	}
	if len(a.Docs) > 0 && (a.Docs[0].Uniqueness == "server" || a.Docs[0].Uniqueness == "global") {
		cand.add(10, "unique")
	}
	return cand
}
