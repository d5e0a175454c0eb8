package main

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"

	"github.com/connls/connls/analysis"
)

// dotGraph is what a DOT parser read: node labels by id, and edges as
// "from -> to label".
type dotGraph struct {
	labels map[string]string
	edges  []string
}

func readDot(t *testing.T, src string) dotGraph {
	t.Helper()
	f, err := dot.ParseString(src)
	if err != nil {
		t.Fatalf("not DOT: %v\n%s", err, src)
	}
	if len(f.Graphs) != 1 || !f.Graphs[0].Directed {
		t.Fatalf("want one digraph, got %d", len(f.Graphs))
	}
	g := dotGraph{labels: map[string]string{}}
	var walk func([]ast.Stmt)
	walk = func(stmts []ast.Stmt) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *ast.NodeStmt:
				for _, a := range s.Attrs {
					if a.Key == "label" {
						g.labels[s.Node.ID] = a.Val
					}
				}
			case *ast.EdgeStmt:
				label := ""
				for _, a := range s.Attrs {
					if a.Key == "label" {
						label = a.Val
					}
				}
				g.edges = append(g.edges, s.From.(*ast.Node).ID+" -> "+s.To.Vertex.(*ast.Node).ID+" "+label)
			case *ast.Subgraph:
				walk(s.Stmts)
			}
		}
	}
	walk(f.Graphs[0].Stmts)
	sort.Strings(g.edges)
	return g
}

// TestInspectPictureOfTheSample draws ticketdesk: three classes with
// their UID/NAME, the GroupMembership relationship from User.groups to
// Group.members, and the embedded Address of User.
func TestInspectPictureOfTheSample(t *testing.T) {
	out, stderr, code := run(t, "inspect", "--format", "dot", "testdata/ticketdesk")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "inspect.ticketdesk.dot", out)
	g := readDot(t, out)
	if g.labels["User"] != `"User|UID: id\lNAME: login\l"` || g.labels["Group"] != `"Group|UID: id\lNAME: name\l"` || g.labels["Address"] != `"Address|embedded\l"` {
		t.Errorf("labels: %v", g.labels)
	}
	want := []string{`User -> Address "address"`, `User -> Group "GroupMembership"`}
	if strings.Join(g.edges, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(g.edges, "\n"), strings.Join(want, "\n"))
	}

	mm, _, code := run(t, "inspect", "--format", "mermaid", "testdata/ticketdesk")
	if code != 0 {
		t.Fatalf("mermaid: exit %d", code)
	}
	golden(t, "inspect.ticketdesk.mermaid", mm)
	for _, line := range []string{
		`class User["User"]`, `User : UID id`, `User : NAME login`, `<<embedded>> Address`,
		`User "groups" --> "members" Group : GroupMembership`, `User *-- Address : address`,
	} {
		if !strings.Contains(mm, "    "+line+"\n") {
			t.Errorf("mermaid lacks %q:\n%s", line, mm)
		}
	}
	checkMermaidSyntax(t, mm)
}

// checkMermaidSyntax checks the lines of a class diagram against the
// statements writeMermaid may print, so that no name leaks a character
// that ends a string or starts a method.
func checkMermaidSyntax(t *testing.T, src string) {
	t.Helper()
	id := `[A-Za-z_][A-Za-z0-9_]*`
	text := `[^"()\n{}<>]*`
	statements := []*regexp.Regexp{
		regexp.MustCompile(`^classDiagram$`),
		regexp.MustCompile(`^ *namespace ` + id + ` \{$`),
		regexp.MustCompile(`^ *\}$`),
		regexp.MustCompile(`^ *class ` + id + `\["` + text + `"\]$`),
		regexp.MustCompile(`^ *<<embedded>> ` + id + `$`),
		regexp.MustCompile(`^ *` + id + ` : (UID|NAME) ` + text + `$`),
		regexp.MustCompile(`^ *` + id + ` "` + text + `" --> "` + text + `" ` + id + ` : ` + text + `$`),
		regexp.MustCompile(`^ *` + id + ` (\*--|-->) ` + id + ` : ` + text + `$`),
	}
	for _, line := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		ok := false
		for _, re := range statements {
			ok = ok || re.MatchString(line)
		}
		if !ok {
			t.Errorf("not a statement of the class diagram: %q", line)
		}
	}
}

// TestPictureOfSeveralConnectors: a repository is drawn with a group per
// connector, class ids kept apart, and names that are no identifiers
// escaped in both formats.
func TestPictureOfSeveralConnectors(t *testing.T) {
	out := analysis.InspectOutput{
		Connectors: []analysis.InspectUnit{{Dir: "a"}, {Dir: "b"}},
		ObjectClasses: []analysis.InspectClass{
			{Name: "User", Connector: "a", ConnID: map[string]string{"UID": "id"}},
			{Name: `Odd "name" {x|y}`, Connector: "a", ConnID: map[string]string{}, Attributes: []analysis.InspectAttribute{
				{Name: "owner", Reference: true, ReferenceTo: "User"},
				{Name: "elsewhere", Reference: true, ReferenceTo: "Missing,urn:x"},
			}},
			{Name: "User", Connector: "b", ConnID: map[string]string{"UID": "key", "NAME": "login"}},
		},
	}
	pic := buildPicture(out)
	var mm, dt strings.Builder
	writeMermaid(&mm, pic)
	writeDot(&dt, pic)
	checkMermaidSyntax(t, mm.String())
	for _, want := range []string{"namespace a {", "namespace b {", `class a__User["User"]`, `class b__User["User"]`,
		`class a__Odd__name___x_y_["Odd 'name' [x|y]"]`, `a__Odd__name___x_y_ --> a__User : owner`, `b__User : NAME login`, `a__User : NAME not mapped`} {
		if !strings.Contains(mm.String(), want) {
			t.Errorf("mermaid lacks %q:\n%s", want, mm.String())
		}
	}
	g := readDot(t, dt.String())
	if len(g.labels) != 3 || g.labels["a__Odd__name___x_y_"] != `"Odd \"name\" \{x\|y\}|UID: not mapped\lNAME: not mapped\l"` {
		t.Errorf("labels: %v", g.labels)
	}
	if strings.Join(g.edges, ",") != `a__Odd__name___x_y_ -> a__User "owner"` {
		t.Errorf("edges: %v (a reference to a class the connector lacks is not drawn)", g.edges)
	}
	if !strings.Contains(dt.String(), "subgraph cluster_0 {\n    label=\"a\";") {
		t.Errorf("no cluster per connector:\n%s", dt.String())
	}
}

func TestInspectFormatFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"inspect", "--format", "svg", "testdata/ticketdesk"}, 2},
		{[]string{"inspect", "--json", "--format", "dot", "testdata/ticketdesk"}, 2},
		{[]string{"inspect", "--json", "--format", "json", "testdata/ticketdesk"}, 0},
	} {
		if _, stderr, code := run(t, tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, stderr)
		}
	}
}
