package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func read(t *testing.T, path string) *Doc {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Read(filepath.ToSlash(path), text)
}

// attrSummary renders the attributes of a class as
// "name:type/format@line flags" with flags r(eadOnly) w(riteOnly)
// i(mmutable) R(equired) m(ulti-valued) c(omplex), and what the bodies
// imply: C (no create body takes it), U (no update body takes it), W
// (only request bodies carry it).
func attrSummary(c *Class) string {
	var out []string
	for _, a := range c.Attributes {
		flags := ""
		for _, f := range []struct {
			on bool
			c  string
		}{{a.ReadOnly, "r"}, {a.WriteOnly, "w"}, {a.Immutable, "i"}, {a.Required, "R"}, {a.MultiValued, "m"}, {a.Complex, "c"},
			{a.NoCreate, "C"}, {a.NoUpdate, "U"}, {a.NoRead, "W"}} {
			if f.on {
				flags += f.c
			}
		}
		typ := a.Type
		if a.Format != "" {
			typ += "/" + a.Format
		}
		out = append(out, fmt.Sprintf("%s:%s@%d%s", a.Name, typ, a.Line, map[bool]string{true: " " + flags, false: ""}[flags != ""]))
	}
	return strings.Join(out, "\n")
}

func endpointSummary(d *Doc) string {
	var out []string
	for _, e := range d.Endpoints {
		s := fmt.Sprintf("%s %s %s %s@%d", e.Operation, e.Method, e.Path, e.Class, e.Line)
		if len(e.Accepts) > 0 {
			s += " accepts " + strings.Join(e.Accepts, ",")
		}
		if e.Action != "" {
			s += " action " + e.Action
		}
		if e.Sets != "" {
			s += " sets " + e.Sets
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func class(t *testing.T, d *Doc, name string) *Class {
	t.Helper()
	for _, c := range d.Classes {
		if c.Name == name {
			return c
		}
	}
	var names []string
	for _, c := range d.Classes {
		names = append(names, c.Name)
	}
	t.Fatalf("class %s not found; have %v", name, names)
	return nil
}

func check(t *testing.T, what, got, want string) {
	t.Helper()
	if strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("%s:\n got:\n%s\nwant:\n%s", what, got, want)
	}
}

func TestOpenAPI30(t *testing.T) {
	d := read(t, "../../testdata/ticketdesk/docs/openapi.yaml")
	if d.Format != FormatOpenAPI || d.Title != "TicketDesk API" || len(d.Problems) > 0 {
		t.Fatalf("format %q title %q problems %v", d.Format, d.Title, d.Problems)
	}
	user := class(t, d, "User")
	if !user.Resource || class(t, d, "Error").Resource || class(t, d, "UserPage").Resource || class(t, d, "UserPatch").Resource {
		t.Error("only served schemas are resources")
	}
	check(t, "User attributes", attrSummary(user), `
id:integer/int64@157 r
login:string@162 RU
email:string/email@165 R
first_name:string@168
last_name:string@170
status:string@172 r
admin:boolean@176
language:string@178
createdAt:string/date-time@180 r
password:string/password@184 w
phones:string@188 m
address:object@192 cU
address.street:string@231 U
address.city:string@232 U
address.postal_code:string@233 U`)
	if got := user.Attribute("status").Enum; strings.Join(got, ",") != "active,locked" {
		t.Errorf("status enum: %v", got)
	}
	check(t, "endpoints", endpointSummary(d), `
search GET /users User@10
create POST /users User@27 accepts login,email,first_name,last_name,admin,language,password,phones,address,address.street,address.city,address.postal_code
get GET /users/{id} User@49
update PATCH /users/{id} User@59 accepts email,first_name,last_name,language,admin,password,phones
delete DELETE /users/{id} User@70
action POST /users/{id}/lock User@82 action lock sets status=locked
action DELETE /users/{id}/lock User@88 action lock sets status=active
search GET /groups Group@95
create POST /groups Group@107 accepts name,description
get GET /groups/{id} Group@124
update PUT /groups/{id} Group@134 accepts name,description
delete DELETE /groups/{id} Group@145`)
	var chunks []string
	for _, c := range d.Chunks {
		chunks = append(chunks, c.Title)
	}
	if got := strings.Join(chunks, ","); got != "User,Group" {
		t.Errorf("chunks: %s", got)
	}
}

func TestSwagger2(t *testing.T) {
	d := read(t, "testdata/swagger2.json")
	if d.Format != FormatSwagger || len(d.Problems) > 0 {
		t.Fatalf("format %q problems %v", d.Format, d.Problems)
	}
	check(t, "Account", attrSummary(class(t, d, "Account")), `
id:string/uuid@52 r
username:string@53 R
email:string/email@54
status:string@55
roles:string@56 m
profile:object@57 c
profile.displayName:string@60
profile.phone:string@61`)
	check(t, "endpoints", endpointSummary(d), `
search GET /accounts Account@7
create POST /accounts Account@13 accepts username,email,status,roles,profile,profile.displayName,profile.phone
get GET /accounts/{accountId} Account@23
update PUT /accounts/{accountId} Account@27 accepts username,email,status,roles,profile,profile.displayName,profile.phone
delete DELETE /accounts/{accountId} Account@34
action POST /accounts/{accountId}/disable Account@40 action disable sets status=disabled`)
	if got := d.Endpoints[2].PathParams; len(got) != 1 || got[0] != "accountId" {
		t.Errorf("path params: %v", got)
	}
}

func TestOpenAPI31AllOfAndCycles(t *testing.T) {
	d := read(t, "testdata/openapi31.yaml")
	if d.Format != FormatOpenAPI || len(d.Problems) > 0 {
		t.Fatalf("format %q problems %v", d.Format, d.Problems)
	}
	org := class(t, d, "Org")
	names := []string{}
	for _, a := range org.Attributes {
		names = append(names, a.Name)
	}
	// allOf merged; the self-reference parent is a reference to another
	// Org, not parts to flatten (which would never end).
	if got := strings.Join(names, ","); got != "name,displayName,created,parent,tags" {
		t.Errorf("Org attributes: %v", got)
	}
	if a := org.Attribute("parent"); a.Ref != "Org" || a.Complex {
		t.Errorf("parent: %+v", a)
	}
	if a := org.Attribute("name"); a == nil || !a.Required || a.Type != "string" {
		t.Errorf("required from the allOf part: %+v", a)
	}
	if a := org.Attribute("displayName"); a == nil || a.Type != "string" {
		t.Errorf("3.1 type list with null: %+v", a)
	}
	if a := org.Attribute("tags"); a == nil || !a.MultiValued || strings.Join(a.Enum, ",") != "internal,partner" {
		t.Errorf("tags: %+v", a)
	}
	check(t, "endpoints", endpointSummary(d), `
search GET /orgs Org@7
get GET /orgs/{org} Org@30
update PATCH /orgs/{org} Org@38 accepts displayName,tags`)
}

func TestMalformedDocs(t *testing.T) {
	for file, want := range map[string]struct {
		line int
		text string
	}{
		"testdata/truncated.json": {6, "truncated"},
		"testdata/malformed.yaml": {6, "cannot read the OpenAPI document"},
	} {
		d := read(t, file)
		if len(d.Problems) != 1 {
			t.Errorf("%s: problems %v", file, d.Problems)
			continue
		}
		p := d.Problems[0]
		if p.Line != want.line || !strings.Contains(p.Message, want.text) {
			t.Errorf("%s: line %d %q, want line %d containing %q", file, p.Line, p.Message, want.line, want.text)
		}
	}
}

func TestSCIM(t *testing.T) {
	d := read(t, "../../testdata/peoplehub/scim/Schemas.json")
	if d.Format != FormatSCIM || len(d.Problems) > 0 {
		t.Fatalf("format %q problems %v", d.Format, d.Problems)
	}
	// Without resource types, the enterprise extension adds to User.
	check(t, "User", attrSummary(class(t, d, "User")), `
id:string@7 r
userName:string@11 R
name:object@22 c
name.givenName:string@29
name.familyName:string@30
emails:object@34 mc
emails.value:string@41 m
emails.type:string@42 m
active:boolean@47
password:string@55 w
hireDate:string/date-time@63 i
employeeNumber:string@79 i
costCenter:string@88`)
	if a := class(t, d, "User").Attribute("userName"); a.Uniqueness != "server" || a.Returned != "default" || a.Mutability != "readWrite" {
		t.Errorf("userName SCIM properties: %+v", a)
	}
	if a := class(t, d, "User").Attribute("emails.type"); strings.Join(a.Enum, ",") != "work,home" {
		t.Errorf("canonical values: %v", a.Enum)
	}
	ext := class(t, d, "EnterpriseUser")
	if ext.Attribute("id") != nil || ext.Attribute("employeeNumber") == nil || !ext.Attribute("employeeNumber").Immutable {
		t.Errorf("an extension has no id of its own: %s", attrSummary(ext))
	}

	rt := read(t, "../../testdata/peoplehub/scim/ResourceTypes.json")
	c := class(t, rt, "User")
	if !c.Resource || c.Schema != "urn:ietf:params:scim:schemas:core:2.0:User" || len(c.Extensions) != 1 {
		t.Errorf("resource type: %+v", c)
	}
	check(t, "resource type endpoints", endpointSummary(rt), `
search GET /Users User@6
create POST /Users User@6
get GET /Users/{id} User@6
update PUT /Users/{id} User@6
update PATCH /Users/{id} User@6
delete DELETE /Users/{id} User@6`)

	single := read(t, "testdata/scim-schema.json")
	check(t, "single schema", attrSummary(class(t, single, "Group")), `
id:string@3 r
displayName:string@7 R
members:object@16 mc
members.value:string@23 im
members.$ref:string/uri@24 im
created:string/date-time@28 r`)
}

func TestHTML(t *testing.T) {
	d := read(t, "../../testdata/peoplehub/docs/departments.html")
	if d.Format != FormatHTML || d.Title != "PeopleHub departments API" {
		t.Fatalf("format %q title %q", d.Format, d.Title)
	}
	check(t, "Department", attrSummary(class(t, d, "Department")), `
code:string@13 iR
title:string@14 R
costCenter:integer@15
parentCode:string@16`)
	check(t, "endpoints", endpointSummary(d), `
search GET /departments Department@21
update PUT /departments/{code} Department@22`)

	p := read(t, "testdata/project.html")
	check(t, "Project (header in td cells, Optional column)", attrSummary(class(t, p, "Project")), `
key:string@6 iR
name:string@7 R
lead:object@8
labels:string@9 m
id:integer@10 r`)
	if len(p.Classes) != 1 {
		t.Errorf("the price table is not a class: %d classes", len(p.Classes))
	}
	check(t, "action", endpointSummary(p), "action POST /projects/{id}/archive Project@12 action archive")
}

func TestMarkdown(t *testing.T) {
	d := read(t, "../../testdata/peoplehub/docs/badges.md")
	if d.Format != FormatMarkdown || d.Title != "Badges" {
		t.Fatalf("format %q title %q", d.Format, d.Title)
	}
	check(t, "Badge", attrSummary(class(t, d, "Badge")), `
id:integer@9 r
serial:string@10 R
holder:string@11
validUntil:string/date@12
zones:@13 m`)
	check(t, "endpoints", endpointSummary(d), `
search GET /badges Badge@17
get GET /badges/{id} Badge@18
create POST /badges Badge@19
update PATCH /badges/{id} Badge@20
delete DELETE /badges/{id} Badge@21`)
	// A page without API facts is not documentation connls reads; its
	// sections stay as prose for an LLM assistant.
	if notes := read(t, "testdata/notes.md"); notes.Format != FormatProse || len(notes.Classes)+len(notes.Endpoints) > 0 || len(notes.Chunks) == 0 {
		t.Errorf("notes.md: %+v", notes)
	}
}

// expectResource checks that a document has a resource class with at
// least min attributes and an endpoint of the operation; it returns it.
func expectResource(t *testing.T, d *Doc, name, op string, min int) *Class {
	t.Helper()
	for _, c := range d.Classes {
		if c.Name != name || !c.Resource {
			continue
		}
		if len(c.Attributes) < min {
			t.Errorf("%s has %d attributes, want at least %d", name, len(c.Attributes), min)
		}
		found := false
		for _, e := range d.Endpoints {
			if e.Class == name && e.Operation == op && (op != "get" || len(e.PathParams) > 0) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no %s endpoint", name, op)
		}
		return c
	}
	t.Errorf("no resource class %s", name)
	return &Class{}
}

func hasResource(d *Doc, name string) bool {
	for _, c := range d.Classes {
		if c.Name == name && c.Resource {
			return true
		}
	}
	return false
}

func servesEndpoint(d *Doc, class, methodPath string) bool {
	for _, e := range d.Endpoints {
		if e.Class == class && e.Method+" "+e.Path == methodPath {
			return true
		}
	}
	return false
}

// checkResourceClasses checks what every class a real description yields
// must be: never named after a version or namespace segment or an action
// verb of the document's paths, never without attributes (aim: none; at
// most 5%).
func checkResourceClasses(t *testing.T, d *Doc) {
	t.Helper()
	actions := map[string]bool{}
	for _, e := range d.Endpoints {
		if e.Action != "" && isVerb(e.Action) {
			actions[segmentClass(e.Action)] = true
		}
	}
	n, empty := 0, 0
	for _, c := range d.Classes {
		if !c.Resource {
			continue
		}
		n++
		if len(c.Attributes) == 0 {
			empty++
		}
		// A verb names a class only when a schema does (Trigger), never
		// from a path word alone (GET /outliers/export).
		if isNamespace(c.Name) || actions[c.Name] || verbs[strings.ToLower(c.Name)] && c.Schema == "" {
			t.Errorf("class %s is named after a path segment that is not a resource", c.Name)
		}
	}
	t.Logf("%d resource classes, %d without attributes", n, empty)
	if n == 0 || empty*20 > n {
		t.Errorf("%d of %d classes have no attributes", empty, n)
	}
}

// TestRealWorld reads real public API documents when they are available.
func TestRealWorld(t *testing.T) {
	dir := realWorldDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real-world documents not available (%s): skipping", dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, "README.md") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			d := read(t, f)
			if d.Format == "" {
				t.Fatalf("not recognised as API documentation")
			}
			for _, p := range d.Problems {
				if !strings.Contains(p.Message, "does not resolve") {
					t.Errorf("problem at line %d: %s", p.Line, p.Message)
				}
			}
			if len(d.Classes) == 0 {
				t.Errorf("no classes")
			}
			t.Logf("%s: %d classes, %d endpoints, %d chunks", d.Format, len(d.Classes), len(d.Endpoints), len(d.Chunks))
			if strings.Contains(f, "sailpoint") {
				ops := map[string]int{}
				for _, e := range d.Endpoints {
					ops[e.Operation]++
				}
				if len(d.Endpoints) < 100 || ops["search"] == 0 || ops["create"] == 0 || ops["update"] == 0 || ops["delete"] == 0 {
					t.Errorf("too few endpoints classified: %v", ops)
				}
				// The classes a connector uses, with attributes and their
				// get endpoint on the item path.
				for _, name := range []string{"Source", "Account", "Identity", "AccessProfile", "Role", "Entitlement"} {
					expectResource(t, d, name, "get", 10)
				}
			}
			if d.Format == FormatOpenAPI || d.Format == FormatSwagger {
				checkResourceClasses(t, d)
			}
			if strings.Contains(f, "forgejo") {
				for _, name := range []string{"Org", "Repo", "V1", "Admin"} {
					if hasResource(d, name) {
						t.Errorf("class %s: a path word, not the schema the endpoints serve", name)
					}
				}
				org := expectResource(t, d, "Organization", "get", 5)
				for _, want := range []string{"GET /orgs/{org}", "PATCH /orgs/{org}", "DELETE /orgs/{org}"} {
					if !servesEndpoint(d, "Organization", want) {
						t.Errorf("Organization does not serve %s", want)
					}
				}
				if a := org.Attribute("name"); a == nil {
					t.Error("Organization.name missing")
				}
				user := expectResource(t, d, "User", "update", 10)
				if a := user.Attribute("password"); a == nil || a.Readable() || !a.Creatable() {
					t.Errorf("User.password is write-only, from the request bodies: %+v", a)
				}
				expectResource(t, d, "Repository", "get", 20)
			}
			if strings.Contains(f, "rfc7643-user") {
				if c := d.Classes[0]; c.Attribute("userName") == nil || c.Attribute("name.givenName") == nil || c.Attribute("emails.value") == nil {
					t.Errorf("core User attributes missing")
				}
			}
		})
	}
}

// What YAML accepts and JSON forbids stays an error with a position in a
// .json document (the readers once parsed JSON as YAML, which took these).
func TestLenientJSONIsInvalid(t *testing.T) {
	head := "{\n\"openapi\": \"3.0.0\",\n\"info\": {\"title\": \"x\", \"version\": \"1\"},\n\"paths\": {}"
	for name, tail := range map[string]string{
		"trailing comma": ",\n}",
		"single quotes":  ",\n\"x-a\": 'b'\n}",
		"bare key":       ",\nx-a: 1\n}",
		"comment":        "\n} # done",
	} {
		d := Read("openapi.json", []byte(head+tail))
		if len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Message, "invalid JSON") || d.Problems[0].Line < 4 {
			t.Errorf("%s: problems %v", name, d.Problems)
		}
	}
	if d := Read("openapi.json", []byte(head+"\n}")); len(d.Problems) != 0 {
		t.Errorf("valid: problems %v", d.Problems)
	}
}
