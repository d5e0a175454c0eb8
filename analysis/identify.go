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
}

// Identifiers is the choice of UID and NAME for a class.
type Identifiers struct {
	UID, NAME    *Candidate
	UIDRunnerUp  *Candidate // close second choices, when there are any
	NAMERunnerUp *Candidate
	Single       bool // the class has one identifier: NAME reads the UID's value
	UIDPathParam string
}

// closeScores is the difference under which two candidates are reported
// as a close call.
const closeScores = 10

// ChooseIdentifiers scores the class's attributes as UID and NAME (native
// schema first, docs second) and picks the best. The UID is the
// resource-assigned, immutable identifier; the NAME the human-readable
// one. Evidence from the API: the item paths of update and delete address
// objects by the UID, since the framework fills {id} with it.
func ChooseIdentifiers(c *Class) Identifiers {
	var uids, names []*Candidate
	param := c.itemPathParam()
	for _, a := range c.Attributes {
		if a.MultiValued || a.Complex || a.Reference || strings.Contains(a.Name, ".") {
			continue
		}
		if u := scoreUID(c, a, param); u.Score > 0 {
			uids = append(uids, u)
		}
		if n := scoreName(c, a); n.Score > 0 {
			names = append(names, n)
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
	order(names)
	var id Identifiers
	id.UIDPathParam = param
	if len(uids) > 0 {
		id.UID = uids[0]
		if len(uids) > 1 && uids[0].Score-uids[1].Score < closeScores {
			id.UIDRunnerUp = uids[1]
		}
	}
	for i, n := range names {
		if id.UID != nil && n.Attr == id.UID.Attr {
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

// itemPathParam returns the placeholder the documented update and delete
// item paths use when it names something other than an id ({username},
// {org}), or "".
func (c *Class) itemPathParam() string {
	for _, e := range c.DocEndpoints {
		if (e.Operation == "update" || e.Operation == "delete" || e.Operation == "get") && len(e.PathParams) > 0 {
			p := e.PathParams[len(e.PathParams)-1]
			if l := strings.ToLower(p); l != "id" && !strings.HasSuffix(l, "id") && !strings.HasSuffix(l, "_id") {
				return p
			}
			return ""
		}
	}
	return ""
}

func (c *Candidate) add(points int, format string, args ...any) {
	c.Score += points
	c.Reasons = append(c.Reasons, fmt.Sprintf(format, args...))
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

func scoreUID(c *Class, a *Attribute, param string) *Candidate {
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
	if param != "" && (lowerAlnum(param) == n || lowerAlnum(param) == class && isNameLike(n)) {
		// The framework fills {id} with the UID: when the API wants
		// this attribute there, any other UID breaks update and delete.
		cand.add(100, "the API addresses items by {%s}", param)
	}
	if cand.Score == 0 {
		return cand
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

func scoreName(c *Class, a *Attribute) *Candidate {
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
