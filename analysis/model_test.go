package analysis

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestSampleInspectGolden pins the whole model of each sample workspace:
// every class, attribute (with flags and source line), mapping and
// endpoint, as `connls inspect --json` prints it.
func TestSampleInspectGolden(t *testing.T) {
	for _, sample := range []string{"ticketdesk", "peoplehub"} {
		t.Run(sample, func(t *testing.T) {
			m := loadDir(t, filepath.Join("..", "testdata", sample))
			got, err := json.MarshalIndent(Inspect(m), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", sample+".inspect.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./analysis -update to create it)", err)
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
				t.Errorf("inspect output differs from %s; run go test ./analysis -run Golden -update and review the diff", golden)
			}
		})
	}
}

// TestTicketDeskModel checks the facts of the first sample one by one, so
// that a golden file updated by mistake cannot hide a regression.
func TestTicketDeskModel(t *testing.T) {
	m := loadDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	u := onlyUnit(t, m)
	var names []string
	for _, c := range u.Classes {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "Address Group User" {
		t.Fatalf("classes = %s", got)
	}
	user := u.Class("User")
	for _, tc := range []struct {
		attr string
		line int
		typ  string
		rcu  string // readable, creatable, updateable, required, multi-valued
	}{
		{"id", 9, "integer", "r----"},
		{"login", 19, "string", "rc-R-"}, // the documented PATCH body does not take it
		{"email", 24, "string", "rcuR-"},
		{"firstName", 31, "string", "rcu--"},
		{"createdAt", 52, "string", "r----"},
		{"password", 58, "string", "-cu--"},
		{"phones", 63, "string", "rcu-m"},
		{"groups", 4, "", "rcu--"},
	} {
		a := user.Attribute(tc.attr)
		if a == nil {
			t.Errorf("User.%s missing", tc.attr)
			continue
		}
		flags := flagString(a)
		src := a.Source()
		if src.Line != tc.line || a.Type != tc.typ || flags != tc.rcu {
			t.Errorf("User.%s: line %d type %q flags %s, want line %d type %q flags %s", tc.attr, src.Line, a.Type, flags, tc.line, tc.typ, tc.rcu)
		}
	}
	if a := user.Attribute("groups"); a == nil || !a.Reference || a.Source().File != "associations.schema.groovy" {
		t.Errorf("groups should be a reference from the relationship: %+v", a)
	}
	if uid, m := user.Mapped("UID"); uid != "id" || m.Range.Start.Line != 1 {
		t.Errorf("UID → %q at %+v", uid, m)
	}
	if name, _ := user.Mapped("NAME"); name != "login" {
		t.Errorf("NAME → %q", name)
	}
	var eps []string
	for _, e := range user.Endpoints {
		var sup []string
		for _, s := range e.Supported {
			sup = append(sup, s.Name+strings.Join(s.Values, "|"))
		}
		eps = append(eps, e.Operation+" "+e.Method+" "+e.Path+" "+strings.Join(sup, ","))
	}
	want := []string{
		"search GET /users ",
		"search GET /users/{id} ",
		"create POST /users login,email,firstName,lastName,password,language,admin,phones",
		"update PATCH /users/{id} email,firstName,lastName,language,admin,password,phones",
		"update POST /users/{id}/lock statuslocked",
		"update DELETE /users/{id}/lock statusactive",
		"delete DELETE /users/{id} ",
	}
	if strings.Join(eps, "\n") != strings.Join(want, "\n") {
		t.Errorf("User endpoints:\n%s\nwant:\n%s", strings.Join(eps, "\n"), strings.Join(want, "\n"))
	}
	if !u.Class("Address").Embedded {
		t.Error("Address should be embedded")
	}
	roles := map[string]string{}
	for _, s := range u.Scripts {
		roles[s.File.Path] = s.Role.String() + "/" + s.RoleFrom
	}
	for file, want := range map[string]string{
		"User.native.schema.groovy":  "schema/manifest",
		"authorization.op.groovy":    "authorization/manifest",
		"User.update.op.groovy":      "operation/manifest",
		"associations.schema.groovy": "schema/manifest",
	} {
		if roles[file] != want {
			t.Errorf("%s: role %s, want %s", file, roles[file], want)
		}
	}
	for _, s := range u.Scripts {
		if len(s.Problems) > 0 {
			t.Errorf("%s: the reader reports problems in a valid sample: %+v", s.File.Path, s.Problems)
		}
	}
}

func flagString(a *Attribute) string {
	f := func(b bool, c string) string {
		if b {
			return c
		}
		return "-"
	}
	return f(a.Readable, "r") + f(a.Creatable, "c") + f(a.Updateable, "u") + f(a.Required, "R") + f(a.MultiValued, "m")
}

func TestPeopleHubModel(t *testing.T) {
	m := loadDir(t, filepath.Join("..", "testdata", "peoplehub"))
	u := onlyUnit(t, m)
	emp := u.Class("Employee")
	if emp == nil || len(emp.OpBlocks) != 2 {
		t.Fatalf("Employee should merge the lower-case operation block: %+v", emp)
	}
	if !emp.Scim {
		t.Error("Employee has a scim block")
	}
	if a := emp.Attribute("manager"); a == nil || a.Readable || !a.Reference {
		t.Errorf("manager: connId { readable false } must reach the attribute, and role makes it a reference: %+v", a)
	}
	if a := emp.Attribute("employeeNumber"); a == nil || len(a.Decls) != 2 || a.Updateable {
		t.Errorf("employeeNumber is declared in two files: %+v", a)
	}
	dep := u.Class("Department")
	if uid, _ := dep.Mapped("UID"); uid != "code" {
		t.Errorf("Department UID from YAML connId: %q", uid)
	}
	if a := dep.Attribute("code"); a == nil || a.Updateable || !a.Required || a.Source().Line != 9 || a.Source().From != "yaml" {
		t.Errorf("Department.code from YAML: %+v %+v", a, a.Source())
	}
	var dEps []string
	for _, e := range dep.Endpoints {
		dEps = append(dEps, e.Operation+" "+e.Method+" "+e.Path)
	}
	if got := strings.Join(dEps, ","); got != "search GET /departments,update PUT /departments/{id}" {
		t.Errorf("Department endpoints: %s", got)
	}
	badge := u.Class("Badge")
	var bEps []string
	for _, e := range badge.Endpoints {
		bEps = append(bEps, e.Operation+" "+e.Path)
	}
	sort.Strings(bEps)
	if got := strings.Join(bEps, ","); got != "create /badges,search /badges,search /badges/{id}" {
		t.Errorf("Badge endpoints from .list/.get/.create: %s", got)
	}
	if !u.Class("Principal").Embedded {
		t.Error("Principal is embedded(true)")
	}
	for _, s := range u.Scripts {
		if len(s.Problems) > 0 {
			t.Errorf("%s: the reader reports problems in a valid sample: %+v", s.File.Path, s.Problems)
		}
	}
}
