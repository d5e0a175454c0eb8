package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
)

// A picture of a connector for a README or a review: its object classes
// with their UID and NAME, and the references between them (the subject
// and object attributes of a relationship, a reference attribute's
// objectClass, an embedded class). `connls inspect --format mermaid|dot`
// draws it.

// picture is the graph both formats draw.
type picture struct {
	groups []pictureGroup // one per connector
	edges  []pictureEdge
}

type pictureGroup struct {
	connector string
	nodes     []pictureNode
}

type pictureNode struct {
	id, name string
	embedded bool
	uid      string // "" when not mapped
	name2    string // the NAME mapping
}

type pictureEdge struct {
	from, to    string // node ids
	label       string // relationship name, or the reference attribute
	tail, head  string // the attributes at each end of a relationship
	composition bool   // to an embedded class
}

// buildPicture turns an inspection into nodes and edges. Node ids are
// made of letters, digits and underscores, unique across connectors.
func buildPicture(out analysis.InspectOutput) picture {
	var pic picture
	ids := map[string]bool{}
	byKey := map[string]*pictureNode{}
	key := func(connector, class string) string { return connector + "\x00" + class }
	multi := len(out.Connectors) > 1
	groupOf := map[string]int{}
	for _, c := range out.ObjectClasses {
		g, ok := groupOf[c.Connector]
		if !ok {
			g = len(pic.groups)
			groupOf[c.Connector] = g
			pic.groups = append(pic.groups, pictureGroup{connector: c.Connector})
		}
		base := identifier(c.Name)
		if multi {
			base = identifier(c.Connector) + "__" + base
		}
		id := base
		for n := 2; ids[id]; n++ {
			id = fmt.Sprintf("%s_%d", base, n)
		}
		ids[id] = true
		pic.groups[g].nodes = append(pic.groups[g].nodes, pictureNode{id: id, name: c.Name, embedded: c.Embedded, uid: c.ConnID["UID"], name2: c.ConnID["NAME"]})
	}
	for g := range pic.groups {
		for i := range pic.groups[g].nodes {
			n := &pic.groups[g].nodes[i]
			byKey[key(pic.groups[g].connector, n.name)] = n
		}
	}
	for _, r := range out.Relationships {
		from, to := byKey[key(r.Connector, r.Subject.Class)], byKey[key(r.Connector, r.Object.Class)]
		if from == nil || to == nil {
			continue
		}
		pic.edges = append(pic.edges, pictureEdge{from: from.id, to: to.id, label: r.Name, tail: r.Subject.Attribute, head: r.Object.Attribute})
	}
	for _, c := range out.ObjectClasses {
		from := byKey[key(c.Connector, c.Name)]
		for _, a := range c.Attributes {
			if a.ReferenceTo == "" || a.Source.From == "relationship" {
				continue
			}
			for _, target := range strings.Split(a.ReferenceTo, ",") {
				to := byKey[key(c.Connector, strings.TrimSpace(target))]
				if to == nil {
					continue // a class this connector does not have, or a URI
				}
				pic.edges = append(pic.edges, pictureEdge{from: from.id, to: to.id, label: a.Name, composition: to.embedded})
			}
		}
	}
	sort.SliceStable(pic.edges, func(i, j int) bool {
		a, b := pic.edges[i], pic.edges[j]
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		return a.label < b.label
	})
	return pic
}

// identifier keeps letters, digits and underscores of a name.
func identifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 || (s[0] >= '0' && s[0] <= '9') {
		return "C" + b.String()
	}
	return b.String()
}

func mappingText(attr string) string {
	if attr == "" {
		return "not mapped"
	}
	return attr
}

// writeMermaid draws a Mermaid class diagram, which GitHub, GitLab and
// most Markdown previews render inside a ```mermaid block.
func writeMermaid(w io.Writer, pic picture) error {
	var b strings.Builder
	b.WriteString("classDiagram\n")
	multi := len(pic.groups) > 1
	for _, g := range pic.groups {
		indent := "    "
		if multi {
			fmt.Fprintf(&b, "    namespace %s {\n", identifier(g.connector))
			indent = "        "
		}
		for _, n := range g.nodes {
			fmt.Fprintf(&b, "%sclass %s[\"%s\"]\n", indent, n.id, mermaidText(n.name))
		}
		if multi {
			b.WriteString("    }\n")
		}
	}
	for _, g := range pic.groups {
		for _, n := range g.nodes {
			if n.embedded {
				fmt.Fprintf(&b, "    <<embedded>> %s\n", n.id)
				continue
			}
			fmt.Fprintf(&b, "    %s : UID %s\n", n.id, mermaidText(mappingText(n.uid)))
			fmt.Fprintf(&b, "    %s : NAME %s\n", n.id, mermaidText(mappingText(n.name2)))
		}
	}
	for _, e := range pic.edges {
		switch {
		case e.tail != "" || e.head != "":
			fmt.Fprintf(&b, "    %s \"%s\" --> \"%s\" %s : %s\n", e.from, mermaidText(e.tail), mermaidText(e.head), e.to, mermaidText(e.label))
		case e.composition:
			fmt.Fprintf(&b, "    %s *-- %s : %s\n", e.from, e.to, mermaidText(e.label))
		default:
			fmt.Fprintf(&b, "    %s --> %s : %s\n", e.from, e.to, mermaidText(e.label))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText keeps a name from ending a Mermaid string or reading as a
// method (parentheses) or markup.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "'", "(", "[", ")", "]", "\n", " ", "{", "[", "}", "]", "<", "‹", ">", "›").Replace(s)
}

// writeDot draws a Graphviz graph: `connls inspect --format dot | dot -Tsvg`.
func writeDot(w io.Writer, pic picture) error {
	var b strings.Builder
	b.WriteString("digraph connector {\n")
	b.WriteString("  rankdir=LR;\n")
	b.WriteString("  graph [fontname=\"Helvetica\"];\n")
	b.WriteString("  node [shape=record, fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	multi := len(pic.groups) > 1
	for i, g := range pic.groups {
		indent := "  "
		if multi {
			fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s;\n", i, dotString(g.connector))
			indent = "    "
		}
		for _, n := range g.nodes {
			body := "UID: " + mappingText(n.uid) + "\\lNAME: " + mappingText(n.name2) + "\\l"
			if n.embedded {
				body = "embedded\\l"
			}
			// With rankdir=LR the fields of a record stack top to bottom.
			fmt.Fprintf(&b, "%s%s [label=\"%s|%s\"];\n", indent, n.id, dotRecord(n.name), dotRecordBody(body))
		}
		if multi {
			b.WriteString("  }\n")
		}
	}
	for _, e := range pic.edges {
		attrs := []string{"label=" + dotString(e.label)}
		if e.tail != "" {
			attrs = append(attrs, "taillabel="+dotString(e.tail))
		}
		if e.head != "" {
			attrs = append(attrs, "headlabel="+dotString(e.head))
		}
		if e.composition {
			attrs = append(attrs, "dir=back", "arrowtail=diamond")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.from, e.to, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotString quotes a DOT string.
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// dotRecord escapes the characters that structure a record label, inside
// a quoted string.
func dotRecord(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "{", `\{`, "}", `\}`, "|", `\|`, "<", `\<`, ">", `\>`, "\n", " ").Replace(s)
}

// dotRecordBody escapes a record field whose \l line ends are wanted.
func dotRecordBody(s string) string {
	parts := strings.Split(s, `\l`)
	for i, p := range parts {
		parts[i] = dotRecord(p)
	}
	return strings.Join(parts, `\l`)
}
