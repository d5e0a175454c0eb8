package generate

import (
	"fmt"
	"sort"
	"strings"
)

// AttributeSpec is what is known of an attribute from the documentation:
// the attributes step of the generation service stores these, and the
// native schema is written from them.
type AttributeSpec struct {
	Type        string `json:"type"`
	Format      string `json:"format,omitempty"`
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required"`
	Creatable   bool   `json:"creatable"`
	Updateable  bool   `json:"updateable"`
	Readable    bool   `json:"readable"`
	MultiValued bool   `json:"multivalued"`
}

// jsonTypes are the types the framework's jsonType accepts.
var jsonTypes = map[string]bool{"string": true, "integer": true, "boolean": true, "number": true, "binary": true}

// NativeSchema writes X.native.schema.groovy for a class from attribute
// specs, in the framework's style; flags are written only where they
// differ from the framework's defaults. Attributes are sorted by name so
// the same specs always give the same script.
func NativeSchema(class string, attrs map[string]AttributeSpec) string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(class))
	for _, n := range names {
		a := attrs[n]
		fmt.Fprintf(&b, "    attribute(%s) {\n", Quote(n))
		t := a.Type
		if !jsonTypes[t] {
			t = "string" // objects and arrays of objects are read as JSON text
		}
		fmt.Fprintf(&b, "        jsonType %s\n", Quote(t))
		if a.Format != "" {
			fmt.Fprintf(&b, "        openApiFormat %s\n", Quote(a.Format))
		}
		for _, f := range []struct {
			name       string
			value, def bool
		}{
			{"required", a.Required, false},
			{"creatable", a.Creatable, true},
			{"updateable", a.Updateable, true},
			{"readable", a.Readable, true},
			{"multiValued", a.MultiValued, false},
		} {
			if f.value != f.def {
				fmt.Fprintf(&b, "        %s %t\n", f.name, f.value)
			}
		}
		if a.Description != "" {
			fmt.Fprintf(&b, "        description %s\n", Quote(OneLine(a.Description, 300)))
		}
		b.WriteString("    }\n")
	}
	b.WriteString("}\n")
	return b.String()
}
