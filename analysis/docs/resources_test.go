package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// classList renders the classes of a document, resources first as
// "Name<-why", then the helper schemas.
func classList(d *Doc) string {
	var res, helpers []string
	for _, c := range d.Classes {
		if c.Resource {
			res = append(res, c.Name+" <- "+c.Kept)
		} else {
			helpers = append(helpers, c.Name)
		}
	}
	return strings.Join(res, "\n") + "\nhelpers: " + strings.Join(helpers, " ")
}

// fills renders the placeholders of the endpoints that have any:
// "GET /orgs/{org}: org=Organization.name (description)".
func fills(d *Doc) string {
	var out []string
	for _, e := range d.Endpoints {
		if len(e.Placeholders) == 0 {
			continue
		}
		var ps []string
		for _, p := range e.Placeholders {
			ps = append(ps, fmt.Sprintf("%s=%s.%s (%s)", p.Name, p.Class, p.Attribute, p.From))
		}
		out = append(out, e.Method+" "+e.Path+": "+strings.Join(ps, ", "))
	}
	return strings.Join(out, "\n")
}

// TestPathWordsAndSchemaNames: /orgs/{org} serves the schema it returns,
// Organization, not a class Org; create and update bodies give the flags
// and the fields only they carry; a search wrapper, a nested list and
// the current user join the class of what they return; a DELETE below
// another resource is that resource's relationship action.
func TestPathWordsAndSchemaNames(t *testing.T) {
	d := read(t, "testdata/orgs-swagger2.json")
	if d.Format != FormatSwagger || len(d.Problems) > 0 || d.BasePath != "/api/v1" {
		t.Fatalf("format %q problems %v base %q", d.Format, d.Problems, d.BasePath)
	}
	check(t, "classes", classList(d), `
Organization <- GET /orgs/{org} returns Organization
User <- GET /users/{username} returns User
helpers: CreateOrgOption EditOrgOption CreateUserOption EditUserOption SearchResults ServerVersion APIError`)
	// The create body names the organization's name username.
	check(t, "Organization", attrSummary(class(t, d, "Organization")), `
id:integer/int64@104 CU
name:string@105 RU
full_name:string@106
visibility:string@107
username:string@114 RUW`)
	// password and must_change_password exist only in the bodies: never
	// read back; source_id only the create body takes; the create body
	// names the login username.
	check(t, "User", attrSummary(class(t, d, "User")), `
id:integer/int64@129 CU
login:string@130 RU
email:string/email@131 R
active:boolean@132 C
source_id:integer/int64@133 U
username:string@140 RUW
password:string@142 W
must_change_password:boolean@143 W`)
	check(t, "endpoints", endpointSummary(d), `
search GET /orgs Organization@7
create POST /orgs Organization@8 accepts username,full_name,visibility
get GET /orgs/{org} Organization@14
update PATCH /orgs/{org} Organization@18 accepts full_name,visibility
delete DELETE /orgs/{org} Organization@25
action DELETE /orgs/{org}/members/{username} Organization@31 action members
search GET /orgs/{org}/members User@41
create POST /admin/users User@47 accepts username,email,password,must_change_password,source_id
update PATCH /admin/users/{username} User@53 accepts email,password,must_change_password,active
delete DELETE /admin/users/{username} User@60
action POST /admin/users/{username}/rename User@66 action rename
search GET /users/search User@72
get GET /users/{username} User@75
search GET /users/{username}/orgs Organization@81
current GET /user User@87
current GET /version Version@90`)
	check(t, "placeholders", fills(d), `
GET /orgs/{org}: org=Organization.name (description)
PATCH /orgs/{org}: org=Organization.name (description)
DELETE /orgs/{org}: org=Organization.name (get)
DELETE /orgs/{org}/members/{username}: org=Organization.name (description), username=User.login (name)
GET /orgs/{org}/members: org=Organization.name (description)
PATCH /admin/users/{username}: username=User.login (name)
DELETE /admin/users/{username}: username=User.login (name)
POST /admin/users/{username}/rename: username=User.login (name)
GET /users/{username}: username=User.login (name)
GET /users/{username}/orgs: username=User.login (name)`)
}

// TestVersionsVerbsAndFamilies: version and namespace segments (v1,
// v2024, beta, api) never name a class; verbs after a resource are its
// actions; a page wrapper and a oneOf family name their items' class;
// lower-case schema names take their words from the paths; role words
// (AccountModel, BaseIdentity) are not part of a class name; errors,
// pages, patch operations and task results are not classes.
func TestVersionsVerbsAndFamilies(t *testing.T) {
	d := read(t, "testdata/versions-openapi30.yaml")
	if d.Format != FormatOpenAPI || len(d.Problems) > 0 || d.BasePath != "/api" {
		t.Fatalf("format %q problems %v base %q", d.Format, d.Problems, d.BasePath)
	}
	check(t, "classes", classList(d), `
AccessProfile <- GET /access-profiles/v1/{id} returns accessprofile
Account <- GET /v2024/accounts/{accountId} returns AccountModel
Identity <- GET /beta/identities/{id} returns BaseIdentity
Pet <- GET /pets/{petId} returns Pet
helpers: accessprofilepage jsonpatchoperation taskresult errorresponse CreateAccountRequest HumanIdentity MachineIdentity Cat Dog`)
	// The JSON Patch body of PATCH says nothing about which fields can
	// change; the create body takes the schema itself.
	check(t, "AccessProfile", attrSummary(class(t, d, "AccessProfile")), `
id:string@184 r
name:string@185 R
requestable:boolean@186`)
	check(t, "Account", attrSummary(class(t, d, "Account")), `
id:string@214 r
name:string@215
sourceId:string@216 R
disabled:boolean@217 C
password:string@224 W`)
	// A family has the attributes of every variant.
	check(t, "Identity", attrSummary(class(t, d, "Identity")), `
id:string@228
name:string@229
email:string@235
owner:string@241`)
	check(t, "Pet", attrSummary(class(t, d, "Pet")), `
name:string@249
indoor:boolean@250
breed:string@255`)
	check(t, "endpoints", endpointSummary(d), `
search GET /access-profiles/v1 AccessProfile@9
create POST /access-profiles/v1 AccessProfile@17 accepts name,requestable
get GET /access-profiles/v1/{id} AccessProfile@42
update PATCH /access-profiles/v1/{id} AccessProfile@50
delete DELETE /access-profiles/v1/{id} AccessProfile@65
action POST /access-profiles/v1/bulk-delete AccessProfile@70 action bulk-delete
search GET /v2024/accounts Account@86
create POST /v2024/accounts Account@96 accepts sourceId,name,password
get GET /v2024/accounts/{accountId} Account@110
action POST /v2024/accounts/{accountId}/disable Account@124 action disable sets disabled=true
action POST /v2024/accounts/{accountId}/lifecycle/activate Account@135 action activate
search GET /beta/identities Identity@142
get GET /beta/identities/{id} Identity@155
get GET /pets/{petId} Pet@168`)
	check(t, "placeholders", fills(d), `
GET /access-profiles/v1/{id}: id=AccessProfile.id (name)
PATCH /access-profiles/v1/{id}: id=AccessProfile.id (name)
DELETE /access-profiles/v1/{id}: id=AccessProfile.id (name)
GET /v2024/accounts/{accountId}: accountId=Account.id (name)
POST /v2024/accounts/{accountId}/disable: accountId=Account.id (name)
POST /v2024/accounts/{accountId}/lifecycle/activate: accountId=Account.id (name)
GET /beta/identities/{id}: id=Identity.id (name)`)
}

// TestRequestBodiesAndFlags: readOnly and writeOnly (also beside a $ref
// in 3.1), a description's own words (set only on creation, changed only
// by the user themself) and which bodies take a field set the flags; a
// data envelope holds the resource; lock and unlock set the status enum.
func TestRequestBodiesAndFlags(t *testing.T) {
	d := read(t, "testdata/bodies-openapi31.yaml")
	if len(d.Problems) > 0 {
		t.Fatalf("problems %v", d.Problems)
	}
	check(t, "classes", classList(d), `
User <- GET /admin/users/{username} returns User
helpers: UserCreate UserUpdate Tenant`)
	check(t, "User", attrSummary(class(t, d, "User")), `
id:integer@94 r
login:string@97 RU
display_name:string@99
status:string@101 r
tenant:object@105 rc
tenant.name:string@132 r
password:string@115 wRUW
source_id:string@118 iUW`)
	check(t, "endpoints", endpointSummary(d), `
search GET /admin/users User@7
create POST /admin/users User@24 accepts login,display_name,password,source_id
get GET /admin/users/{username} User@44
update PUT /admin/users/{username} User@55 accepts display_name,password
delete DELETE /admin/users/{username} User@68
action POST /admin/users/{username}/lock User@75 action lock sets status=LOCKED
action DELETE /admin/users/{username}/lock User@79 action lock sets status=ACTIVE
action POST /admin/users/{username}/reset-password User@84 action reset-password`)
	user := class(t, d, "User")
	for name, want := range map[string][3]bool{ // readable, creatable, updateable
		"login": {true, true, false}, "password": {false, true, false}, "source_id": {false, true, false},
		"display_name": {true, true, true}, "status": {true, false, false},
	} {
		a := user.Attribute(name)
		if got := [3]bool{a.Readable(), a.Creatable(), a.Updateable()}; got != want {
			t.Errorf("%s: readable, creatable, updateable = %v, want %v", name, got, want)
		}
	}
	if got := fills(d); !strings.Contains(got, "GET /admin/users/{username}: username=User.login (description)") {
		t.Errorf("placeholders:\n%s", got)
	}
}

// TestSCIMSchemasAlone: a /Schemas answer without resource types yields
// its resource classes, extensions merged into their core class, and not
// the schemas that describe the service.
func TestSCIMSchemasAlone(t *testing.T) {
	d := read(t, "testdata/scim-schemas-alone.json")
	if d.Format != FormatSCIM || len(d.Problems) > 0 {
		t.Fatalf("format %q problems %v", d.Format, d.Problems)
	}
	check(t, "classes", classList(d), `
User <- SCIM schema urn:ietf:params:scim:schemas:core:2.0:User
helpers: User ResourceType`)
	user := d.Classes[0]
	check(t, "User", attrSummary(user), `
id:string@7 r
userName:string@9 R
active:boolean@10
password:string@11 w
employeeNumber:string@18
costCenter:string@19`)
	if ext := d.Classes[1]; ext.Extends != "User" || ext.Resource {
		t.Errorf("extension: %+v", ext)
	}
	single := read(t, "testdata/scim-schema.json")
	if c := class(t, single, "Group"); !c.Resource || c.Kept != "SCIM schema urn:ietf:params:scim:schemas:core:2.0:Group" {
		t.Errorf("a single schema file is a class: %+v", c)
	}
}

func TestClassNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"UserModel", "User"}, {"UserCollectionModel", "User"}, {"CreateUserRequest", "User"}, {"EditUserOption", "User"},
		{"GroupDto", "Group"}, {"UserResponse", "User"}, {"AccessRequest", "AccessRequest"}, {"PullRequest", "PullRequest"},
		{"BaseAccount", "Account"}, {"Address", "Address"}, {"Model", "Model"}, {"accessprofile-2", "accessprofile"},
		{"UserCreateModel", "User"}, {"UserCreateRequest", "User"}, {"GroupUpdateInput", "Group"}, {"UserPatchModel", "User"},
	} {
		if got := stripRole(tc.in); got != tc.want {
			t.Errorf("stripRole(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	v := vocabulary{"identity": true, "certification": true, "connector": true, "customizer": true, "cert": true}
	for _, tc := range []struct{ in, want string }{
		{"identitycertification", "identity certification"}, {"connectorcustomizer", "connector customizer"}, {"identityx", ""},
	} {
		if got := strings.Join(v.split(tc.in), " "); got != tc.want {
			t.Errorf("split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCollectionsInContext: a verb segment followed by a placeholder
// names a collection below the segment it follows only: /sp-config/export
// is a collection of exports, /outliers/export and /form-definitions/export
// still export.
func TestCollectionsInContext(t *testing.T) {
	paths := []string{"/sp-config/v1/export/{id}", "/sp-config/v1/export", "/outliers/v1/export", "/accounts/search-attribute-config/{name}", "/accounts/search-attribute-config"}
	collections := collectionSegments(paths)
	var got []string
	for _, p := range paths {
		sh := classifyPathIn(p, collections)
		got = append(got, fmt.Sprintf("%s: group=%s action=%s", p, sh.group, sh.action))
	}
	check(t, "shapes", strings.Join(got, "\n"), `
/sp-config/v1/export/{id}: group=sp-config/export action=
/sp-config/v1/export: group=sp-config/export action=
/outliers/v1/export: group=outliers action=export
/accounts/search-attribute-config/{name}: group=accounts/search-attribute-config action=
/accounts/search-attribute-config: group=accounts/search-attribute-config action=`)
}

func TestPathShapes(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/users", "resource=users group=users"},
		{"/api/v2/users/{id}", "resource=users group=users item"},
		{"/access-profiles/v1/{id}", "resource=access-profiles group=access-profiles item"},
		{"/users/{id}/lifecycle/activate", "resource=users group=users item action=activate"},
		{"/campaigns/v3/delete", "resource=campaigns group=campaigns action=delete"},
		{"/orgs/{org}/teams", "resource=teams group=orgs/{}/teams parent=orgs"},
		{"/orgs/{org}/teams/search", "resource=teams group=orgs/{}/teams parent=orgs action=search"},
		{"/repos/{owner}/{repo}/issues/{index}", "resource=issues group=repos/{}/{}/issues parent=repos item"},
		{"/user/repos", "resource=repos group=user/repos parent=user"},
		{"/orgs/{org}/block/{username}", "resource=orgs group=orgs item action=block"},
		{"/ocs/v1.php/cloud/users/{userid}", "resource=users group=cloud/users item"},
		{"/v2024", "resource="},
	} {
		sh := classifyPath(tc.path)
		got := "resource=" + sh.resource
		if sh.group != "" {
			got += " group=" + sh.group
		}
		if sh.parent != "" {
			got += " parent=" + sh.parent
		}
		if sh.item {
			got += " item"
		}
		if sh.action != "" {
			got += " action=" + sh.action
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.path, got, tc.want)
		}
	}
}

// TestHALAndSuffixes: a resource whose schemas carry role words
// (UserModel, UserCollectionModel, UserCreateModel, UserPatchModel,
// GroupDto, GroupResponse, CreateGroupRequest) is one class named as its
// path and schemas agree; HAL envelope members are not attributes, and a
// link to another resource is a reference to its class; a lock
// sub-resource is the status transitions.
func TestHALAndSuffixes(t *testing.T) {
	d := read(t, "testdata/hal-openapi30.yaml")
	if len(d.Problems) > 0 || d.BasePath != "/api/v3" {
		t.Fatalf("problems %v base %q", d.Problems, d.BasePath)
	}
	check(t, "classes", classList(d), `
User <- GET /users/{id} returns UserModel
Membership <- GET /memberships/{id} returns MembershipModel
Group <- GET /groups/{groupId} returns GroupResponse
helpers: UserCollectionModel UserCreateModel UserPatchModel CreateGroupRequest`)
	// status can only be set on creation; password only by the user
	// themself, and never read back.
	check(t, "User", attrSummary(class(t, d, "User")), `
id:integer@129 r
login:string@130 RU
email:string/email@131 R
status:string@132 iU
password:string@185 wUW
memberships:string/uri@143 r`)
	if a := class(t, d, "User").Attribute("memberships"); a.Ref != "Membership" {
		t.Errorf("memberships refers to %q", a.Ref)
	}
	check(t, "Group", attrSummary(class(t, d, "Group")), `
id:string@219 C
name:string@220
description:string@221`)
	check(t, "endpoints", endpointSummary(d), `
search GET /users User@9
create POST /users User@17 accepts login,email,status,password
get GET /users/{id} User@33
update PATCH /users/{id} User@41 accepts email,password
delete DELETE /users/{id} User@54
action POST /users/{id}/lock User@61 action lock sets status=locked
action DELETE /users/{id}/lock User@69 action lock sets status=active
get GET /memberships/{id} Membership@78
search GET /groups Group@89
create POST /groups Group@99 accepts name,description
get GET /groups/{groupId} Group@113`)
}

// TestJSONAPIAndInline: a JSON:API resource's attributes are its own
// (name, not attributes.name) and its relationships are references;
// inline response and request schemas count like named ones.
func TestJSONAPIAndInline(t *testing.T) {
	d := read(t, "testdata/jsonapi-inline-openapi31.json")
	if len(d.Problems) > 0 {
		t.Fatalf("problems %v", d.Problems)
	}
	check(t, "classes", classList(d), `
Group <- GET /groups/{id} returns GroupResource
User <- GET /users/{id} returns the schema on line 40
Ticket <- GET /tickets/{ticketId} returns the schema on line 72
helpers: GroupPatch`)
	check(t, "Group", attrSummary(class(t, d, "Group")), `
id:string@90
name:string@91 U
description:string@91
users:string/uri@93 rm`)
	check(t, "User", attrSummary(class(t, d, "User")), `
id:string@41
userName:string@42`)
	check(t, "Ticket", attrSummary(class(t, d, "Ticket")), `
id:integer@75 r
subject:string@76 R
status:string@77 C
assignee:object@78 cC
assignee.name:string@78 C
body:string@62 W`)
	check(t, "endpoints", endpointSummary(d), `
search GET /groups Group@6
get GET /groups/{id} Group@18
update PATCH /groups/{id} Group@25 accepts id,description
get GET /users/{id} User@36
search GET /tickets Ticket@48
create POST /tickets Ticket@58 accepts subject,body
get GET /tickets/{ticketId} Ticket@70`)
}

// TestPageForms: the Markdown people write: :id placeholders, an
// endpoint mentioned twice, a filters table under a GET (not fields), a
// fields table without a type column under a multi-word heading, JSON
// examples in code blocks (also inside an HTTP message, also with a
// trailing comma), and GET /api/account, the signed-in account, which is
// not the search of Account.
func TestPageForms(t *testing.T) {
	d := read(t, "testdata/users-page.md")
	check(t, "classes", classList(d), `
Account <- GET /api/accounts/{id} returns the schema on line 36
helpers: `)
	check(t, "Account", attrSummary(class(t, d, "Account")), `
id:integer@36 CU
login:string@36 RU
email:string/email@36 R
locked:boolean@36 CU
created_at:string/date-time@19 CU
admin:boolean@20
groups:string@21 mCU
password:string@49 wUW`)
	check(t, "endpoints", endpointSummary(d), `
search GET /api/accounts Account@6
get GET /api/accounts/{id} Account@28
create POST /api/accounts Account@42 accepts login,email,password,admin
update PUT /api/accounts/{id} Account@54 accepts email,admin
delete DELETE /api/accounts/{id} Account@65
current GET /api/account Account@69`)
	if e := d.Endpoints[1]; strings.Join(e.PathParams, ",") != "id" {
		t.Errorf("placeholders: %v", e.PathParams)
	}
}

// TestPageSyntaxLines: an HTML page of "Syntax: path" lines with "HTTP
// method: PUT" below, arguments in lists (a key list names the fields an
// update takes) and an XML response.
func TestPageSyntaxLines(t *testing.T) {
	d := read(t, "testdata/ocs-page.html")
	if d.Format != FormatHTML || d.Title != "Members provisioning" {
		t.Fatalf("format %q title %q", d.Format, d.Title)
	}
	check(t, "Member", attrSummary(class(t, d, "Member")), `
enabled:boolean@22 CU
id:string@23 CU
quota:integer@24 C
teams:string@25 mU
memberid:string@8 RUW
password:string@9 W`)
	check(t, "endpoints", endpointSummary(d), `
create POST /ocs/v2.php/cloud/members Member@5 accepts memberid,password,teams
get GET /ocs/v2.php/cloud/members/{memberid} Member@13
update PUT /ocs/v2.php/cloud/members/{memberid} Member@30 accepts quota,password
action PUT /ocs/v2.php/cloud/members/{memberid}/disable Member@41 action disable sets enabled=false`)
}

// TestMultiFile: references to other files, relative to the file that
// holds them, are followed through the workspace's files; a reference
// that leaves the workspace or names a missing file is reported once, on
// the line that leads to it.
func TestMultiFile(t *testing.T) {
	root := "testdata/multifile"
	var opened []string
	files := func(p string) ([]byte, bool) {
		opened = append(opened, p)
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		return b, err == nil
	}
	text, err := os.ReadFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d := ReadWith("openapi.yaml", text, files)
	check(t, "classes", classList(d), `
User <- GET /users/{id} returns user_model
helpers: `)
	var attrs []string
	for _, a := range class(t, d, "User").Attributes {
		attrs = append(attrs, fmt.Sprintf("%s %s:%d", a.Name, a.File, a.Line))
	}
	check(t, "User", strings.Join(attrs, "\n"), `
id components/schemas/user_model.yml:3
login components/schemas/user_model.yml:6
address components/schemas/user_model.yml:8
address.city components/schemas/address.yml:3
manager components/schemas/user_model.yml:10
manager.id components/schemas/user_model.yml:16
password components/schemas/user_create_model.yml:5`)
	check(t, "User flags", attrSummary(class(t, d, "User")), `
id:integer@3 r
login:string@6 R
address:object@8 cC
address.city:string@3 C
manager:object@10 cC
manager.id:integer@16 C
password:string@5 wW`)
	var problems []string
	for _, p := range d.Problems {
		problems = append(problems, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	check(t, "problems", strings.Join(problems, "\n"), `
55: $ref "./components/schemas/group_model.yml" does not resolve (the file is not in the workspace, cannot be read, or has no such part)
64: $ref "../../../outside.yml" does not resolve (the file is not in the workspace, cannot be read, or has no such part)
16: $ref "./country.yml" in components/schemas/address.yml:5 does not resolve (the file is not in the workspace, cannot be read, or has no such part)`)
	for _, p := range opened {
		if strings.HasPrefix(p, "..") || filepath.IsAbs(p) {
			t.Errorf("read %s, outside the workspace", p)
		}
	}
	if got := fills(d); got != "GET /users/{id}: id=User.id (name)" {
		t.Errorf("placeholders: %s", got)
	}
	// Without files, references to other files are not followed, and
	// said so.
	alone := Read("openapi.yaml", text)
	if len(alone.Problems) == 0 || !strings.Contains(alone.Problems[0].Message, "followed only in a workspace") {
		t.Errorf("problems alone: %v", alone.Problems)
	}
}

// TestQueryActions: posting a filter to a query action that returns a
// list is a search, not a create; other posted actions stay actions.
func TestQueryActions(t *testing.T) {
	list := schemaRef{name: "Role", node: &node{Kind: mappingKind}, list: true}
	for _, tc := range []struct {
		method, path string
		resp         schemaRef
		want         string
	}{
		{"POST", "/roles/v1/filter", list, "search"},
		{"POST", "/users/search", list, "search"},
		{"POST", "/users/search", schemaRef{}, "action search"},
		{"POST", "/roles/{id}/export", list, "action export"},
		{"GET", "/roles/export", list, "search"},
	} {
		op, action := operationOf(tc.method, classifyPath(tc.path), tc.resp)
		if got := strings.TrimSpace(op + " " + action); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
}
