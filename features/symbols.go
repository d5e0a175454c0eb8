package features

import (
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

// SymbolKind says what a symbol of the outline is.
type SymbolKind int

const (
	SymbolClass        SymbolKind = iota // an object class block
	SymbolAttribute                      // attribute("x")
	SymbolMapping                        // connIdAttribute("UID", "x")
	SymbolOperation                      // search {}, update {}, ...
	SymbolEndpoint                       // endpoint(...)
	SymbolRelationship                   // relationship("x")
)

// Symbol is an entry of a script's outline.
type Symbol struct {
	Name, Detail string
	Kind         SymbolKind
	Range        workspace.Range // the whole entry
	Selection    workspace.Range // its name
	Children     []Symbol
}

// Outline lists a script's classes with their attributes, mappings and
// operations with endpoints, then its relationships.
func Outline(m *analysis.Model, abs string) []Symbol {
	sc := m.Scripts[abs]
	if sc == nil {
		return nil
	}
	var out []Symbol
	for _, cb := range sc.Classes {
		class := Symbol{Name: cb.Name, Kind: SymbolClass, Range: cb.Range, Selection: cb.NameRange}
		for _, a := range cb.Attributes {
			class.Children = append(class.Children, Symbol{Name: a.Name, Kind: SymbolAttribute, Range: a.Range, Selection: a.NameRange})
		}
		for _, mp := range cb.Mappings {
			class.Children = append(class.Children, Symbol{Name: mp.ConnID, Detail: "→ " + mp.Attr, Kind: SymbolMapping, Range: mp.Range, Selection: mp.Range})
		}
		for _, op := range cb.Ops {
			o := Symbol{Name: op.Kind, Kind: SymbolOperation, Range: op.Range, Selection: op.Range}
			for _, e := range op.Endpoints {
				name := strings.TrimSpace(e.Method + " " + e.Path)
				if name == "" {
					name = "custom"
				}
				o.Children = append(o.Children, Symbol{Name: name, Kind: SymbolEndpoint, Range: e.Range, Selection: e.Range})
			}
			class.Children = append(class.Children, o)
		}
		out = append(out, class)
	}
	for _, rel := range sc.Relationships {
		out = append(out, Symbol{Name: rel.Name, Kind: SymbolRelationship, Range: rel.Range, Selection: rel.Range})
	}
	return out
}
