package groovy

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func dumpNodes(b *strings.Builder, nodes []*Node, depth int) {
	for _, n := range nodes {
		fmt.Fprintf(b, "%s%s", strings.Repeat("  ", depth), n.Kind)
		if n.Name != "" {
			fmt.Fprintf(b, " %s", n.Name)
		}
		if n.Value != "" {
			fmt.Fprintf(b, " %q", n.Value)
		}
		if n.Paren {
			b.WriteString(" ()")
		}
		if n.Opaque {
			b.WriteString(" opaque")
		}
		b.WriteString("\n")
		if n.Recv != nil {
			fmt.Fprintf(b, "%s recv:\n", strings.Repeat("  ", depth))
			dumpNodes(b, []*Node{n.Recv}, depth+2)
		}
		dumpNodes(b, n.Args, depth+1)
		if n.Closure != nil {
			dumpNodes(b, []*Node{n.Closure}, depth+1)
		}
		dumpNodes(b, n.Body, depth+1)
	}
}

func TestDumpFile(t *testing.T) {
	path := os.Getenv("GROOVY_DUMP")
	if path == "" {
		t.Skip("set GROOVY_DUMP to a file to print its syntax tree")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := Parse(src)
	var b strings.Builder
	dumpNodes(&b, f.Body, 0)
	fmt.Printf("%s\nerrors: %v\ntree errors: %d\nregions: %+v\n", b.String(), f.Errors, f.TreeErrors, f.Regions)
}
