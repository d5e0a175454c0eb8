package groovy

import (
	"fmt"
	"strings"
	"testing"
)

func TestDbgBig(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "objectClass(\"C\") {\n")
	for a := 0; a < 80; a++ {
		fmt.Fprintf(&b, "    attribute(\"a%d\") {\n        jsonType \"string\"\n    }\n", a)
	}
	b.WriteString("}\n")
	var inc Incremental
	got := inc.Parse([]byte(b.String()))
	want := Parse([]byte(b.String()))
	var gb, wb strings.Builder
	dumpOffsets(&gb, got.Body)
	dumpOffsets(&wb, want.Body)
	g, w := strings.Split(gb.String(), "\n"), strings.Split(wb.String(), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			fmt.Println("inc: ", g[i][:min(200, len(g[i]))])
			fmt.Println("full:", w[i][:min(200, len(w[i]))])
			break
		}
	}
}
