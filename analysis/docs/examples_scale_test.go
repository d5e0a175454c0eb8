package docs

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestExampleSchemaLinear: the schema of an example with many keys takes
// memory in proportion to it. Adding to a node copies its children, and
// a mapping built one key at a time took 795 MB for 5,000 keys.
func TestExampleSchemaLinear(t *testing.T) {
	allocated := func(keys int) uint64 {
		var json, xml strings.Builder
		json.WriteString("{\n")
		xml.WriteString("<user>\n")
		for i := range keys {
			fmt.Fprintf(&json, "  \"field%d\": \"value\",\n", i)
			fmt.Fprintf(&xml, "  <field%d>value</field%d>\n", i, i)
		}
		json.WriteString("  \"last\": 1\n}\n")
		xml.WriteString("</user>\n")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := exampleSchema(json.String(), 1)
		x := xmlExampleSchema(xml.String(), 1)
		runtime.ReadMemStats(&after)
		if n := len(get(s, "properties").Content()); n != 2*(keys+1) {
			t.Fatalf("%d keys: the schema has %d property nodes", keys, n)
		}
		if n := len(get(x, "properties").Content()); n != 2*keys {
			t.Fatalf("%d keys: the XML schema has %d property nodes", keys, n)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := allocated(1000), allocated(8000)
	if big > 16*small {
		t.Errorf("8,000 keys allocate %d bytes, 1,000 keys %d: more than linear", big, small)
	}
}
