package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/analysis/groovy"
	"github.com/connls/connls/workspace"
)

// findings renders a model's findings, one a line, messages included.
func findings(m *Model) []string {
	var out []string
	for _, p := range m.Diagnostics() {
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s: %s", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, p.Message))
	}
	return out
}

// TestFindingsDoNotDependOnLoad analyses the sample workspaces as if the
// machine were overloaded, with a parse budget so small in time that the
// clock runs out on every statement it looks at: the findings are those
// of an idle machine, in a fresh analyzer and in one that parses open
// documents incrementally, and on the next run with time to spare.
func TestFindingsDoNotDependOnLoad(t *testing.T) {
	for _, sample := range []string{"ticketdesk", "broken", "peoplehub"} {
		t.Run(sample, func(t *testing.T) {
			dir, _ := filepath.Abs(filepath.Join("..", "testdata", sample))
			want := findings(loadDir(t, dir))

			old := groovy.SetBudget(groovy.Budget{Time: time.Nanosecond, Steps: groovy.DefaultBudget.Steps, StepBytes: groovy.DefaultBudget.StepBytes})
			defer groovy.SetBudget(old)
			ws, err := workspace.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			a := NewAnalyzer()
			for _, f := range ws.Snapshot().Files() {
				if f.Kind == workspace.KindGroovy {
					a.Track(f.Abs) // parsed as an open document
				}
			}
			for run := range 2 {
				m, err := a.Analyze(context.Background(), ws.Snapshot(), nil)
				if err != nil {
					t.Fatal(err)
				}
				if got := findings(m); !slices.Equal(got, want) {
					t.Fatalf("run %d under a tiny time budget:\n got %s\nwant %s", run, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
				}
				groovy.SetBudget(old)
			}
		})
	}
}

// TestBusyMachineReadingIsNotKept: when even the backstop clock runs out,
// the statement is left unread as information, never as a syntax error,
// and the analyzer does not keep that reading: the next analysis of the
// same snapshot reads the script again and finds what is there.
func TestBusyMachineReadingIsNotKept(t *testing.T) {
	var b strings.Builder
	b.WriteString("objectClass(\"User\") {\n    update {\n        endpoint(PATCH, \"/users/{id}\") {\n            supportedAttributs \"x\"\n            supportedAttributes \"a0\"")
	for i := 1; i < 1500; i++ {
		fmt.Fprintf(&b, ", \"a%d\"", i)
	}
	b.WriteString("\n        }\n    }\n}\n")
	dir := writeFiles(t, map[string]string{"User.update.op.groovy": b.String()})
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer()

	old := groovy.SetBudget(groovy.Budget{Time: time.Nanosecond, Steps: 1 << 30, Backstop: time.Nanosecond})
	defer groovy.SetBudget(old)
	m, err := a.Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := m.Diagnostics()
	if len(ps) != 1 || ps[0].Code != "unread-statement" || ps[0].Severity != dsl.SevInformation {
		t.Fatalf("out of time: %s, want one unread-statement, as information", strings.Join(findings(m), "; "))
	}

	groovy.SetBudget(old)
	m, err = a.Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range m.Diagnostics() {
		codes = append(codes, p.Code)
	}
	if slices.Contains(codes, "unread-statement") || !slices.Contains(codes, "unknown-dsl") {
		t.Errorf("the next analysis with time to spare found %v, want the script read again (unknown-dsl)", codes)
	}
}
