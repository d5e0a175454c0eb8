package analysis

import (
	"fmt"
	"os"
	"testing"
)

func TestPrintDiagnostics(t *testing.T) {
	dir := os.Getenv("CONNLS_DIAG")
	if dir == "" {
		t.Skip("set CONNLS_DIAG to a workspace to print its diagnostics")
	}
	m := loadDir(t, dir)
	for _, p := range m.Diagnostics() {
		fmt.Printf("%s:%d:%d: %s %s: %s\n", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, p.Message)
		for _, f := range p.Fixes {
			fmt.Printf("    fix: %s %+v\n", f.Title, f.Edits)
		}
	}
}
