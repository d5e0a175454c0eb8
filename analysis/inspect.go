package analysis

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// The JSON shape of `connls inspect --json`.

type InspectOutput struct {
	ObjectClasses []InspectClass        `json:"objectClasses"`
	Relationships []InspectRelationship `json:"relationships,omitempty"`
	Connectors    []InspectUnit         `json:"connectors"`
	Files         []InspectFile         `json:"files"`
	Documents     []InspectDoc          `json:"documents,omitempty"`
}

// InspectRelationship is relationship("R") { subject(...); object(...) }:
// the subject's attribute refers to objects of the object's class, whose
// attribute refers back.
type InspectRelationship struct {
	Name      string             `json:"name"`
	Connector string             `json:"connector"`
	Subject   InspectParticipant `json:"subject"`
	Object    InspectParticipant `json:"object"`
	Source    dsl.Source         `json:"source"`
}

type InspectParticipant struct {
	Class     string `json:"class"`
	Attribute string `json:"attribute,omitempty"`
}

type InspectUnit struct {
	Dir       string   `json:"dir"`
	Manifests []string `json:"manifests,omitempty"`
	Loaders   []string `json:"loaders,omitempty"` // Java connector classes that load the scripts by name
	Classes   []string `json:"objectClasses"`
}

type InspectFile struct {
	File     string `json:"file"`
	Kind     string `json:"kind"`
	Role     string `json:"role,omitempty"`
	RoleFrom string `json:"roleFrom,omitempty"`
}

type InspectDoc struct {
	File      string `json:"file"`
	Format    string `json:"format"`
	Title     string `json:"title,omitempty"`
	Classes   int    `json:"classes"`
	Endpoints int    `json:"endpoints"`
	Chunks    int    `json:"chunks"`
}

type InspectClass struct {
	Name       string             `json:"name"`
	Connector  string             `json:"connector"`
	Files      []string           `json:"files"`
	Embedded   bool               `json:"embedded,omitempty"`
	Scim       bool               `json:"scim,omitempty"`
	Attributes []InspectAttribute `json:"attributes"`
	ConnID     map[string]string  `json:"connid"`
	Mappings   []InspectMapping   `json:"mappings,omitempty"`
	Endpoints  []InspectEndpoint  `json:"endpoints"`
	Documented []InspectEndpoint  `json:"documentedEndpoints,omitempty"`
	Source     *dsl.Source        `json:"source,omitempty"`
	// Why says why the class is in the model: the script that declares
	// it, or the documented endpoint or schema that makes it a resource.
	Why string `json:"why,omitempty"`
}

type InspectAttribute struct {
	Name              string            `json:"name"`
	Type              string            `json:"type,omitempty"`
	Format            string            `json:"format,omitempty"`
	Readable          bool              `json:"readable"`
	Creatable         bool              `json:"creatable"`
	Updateable        bool              `json:"updateable"`
	Required          bool              `json:"required"`
	MultiValued       bool              `json:"multivalued"`
	ReturnedByDefault bool              `json:"returnedByDefault"`
	Reference         bool              `json:"reference,omitempty"`
	ReferenceTo       string            `json:"referenceTo,omitempty"` // the class a reference points to, when known
	Complex           bool              `json:"complex,omitempty"`
	Emulated          bool              `json:"emulated,omitempty"`
	Description       string            `json:"description,omitempty"`
	Source            dsl.Source        `json:"source"`
	Documented        []dsl.Source      `json:"documented,omitempty"`
	Origin            map[string]string `json:"origin,omitempty"`
}

type InspectMapping struct {
	ConnID    string     `json:"connId"`
	Attribute string     `json:"attribute"`
	Source    dsl.Source `json:"source"`
}

type InspectEndpoint struct {
	Operation           string   `json:"operation"`
	Method              string   `json:"method"`
	Path                string   `json:"path"`
	SupportedAttributes []string `json:"supportedAttributes,omitempty"`
	Filters             []string `json:"filters,omitempty"`
	Accepts             []string `json:"accepts,omitempty"`
	// Fills says which attribute fills each path placeholder, where the
	// documentation tells: {"username": "User.login"}.
	Fills  map[string]string `json:"fills,omitempty"`
	Source dsl.Source        `json:"source"`
}

// Source returns where an attribute was first declared or documented.
func (a *Attribute) Source() dsl.Source {
	for _, d := range a.Decls {
		if d.File() != nil {
			return d.Source()
		}
	}
	if len(a.DocSources) > 0 {
		return a.DocSources[0]
	}
	return dsl.Source{}
}

// Inspect summarises a model.
func Inspect(m *Model) InspectOutput {
	out := InspectOutput{ObjectClasses: []InspectClass{}, Connectors: []InspectUnit{}, Files: []InspectFile{}}
	for _, f := range m.Snapshot.Files() {
		if f.Kind == workspace.KindJava && m.Java[f.Abs] == nil {
			continue // Java that neither loads scripts nor configures SCIM
		}
		fi := InspectFile{File: f.Path, Kind: f.Kind.String()}
		if f.Kind.IsScript() {
			fi.Kind = dsl.KindOf(f.Path).String()
		}
		if s := m.Scripts[f.Abs]; s != nil {
			fi.Role, fi.RoleFrom = s.Role.String(), s.RoleFrom
		}
		out.Files = append(out.Files, fi)
		if d := m.Docs[f.Abs]; d != nil {
			out.Documents = append(out.Documents, InspectDoc{File: f.Path, Format: d.Format, Title: d.Title,
				Classes: len(d.Classes), Endpoints: len(d.Endpoints), Chunks: len(d.Chunks)})
		}
	}
	for _, u := range m.Units {
		rel, _ := filepath.Rel(u.Root, u.Dir)
		iu := InspectUnit{Dir: filepath.ToSlash(rel), Classes: []string{}}
		for _, man := range u.Manifests {
			iu.Manifests = append(iu.Manifests, man.File.Path)
		}
		for _, jc := range u.Java {
			iu.Loaders = append(iu.Loaders, jc.File.Path)
		}
		for _, c := range u.Classes {
			iu.Classes = append(iu.Classes, c.Name)
			out.ObjectClasses = append(out.ObjectClasses, inspectClass(c, iu.Dir))
		}
		for _, s := range u.Scripts {
			for _, rel := range s.Relationships {
				out.Relationships = append(out.Relationships, inspectRelationship(rel, s, iu.Dir))
			}
		}
		if len(u.Classes) > 0 || len(u.Manifests) > 0 {
			out.Connectors = append(out.Connectors, iu)
		}
	}
	return out
}

// Why says why a class is in the model: the script that declares or
// configures it, else what a document says that makes it a resource
// ("GET /orgs/{org} returns Organization", "SCIM schema urn:...:User"),
// with the document.
func (c *Class) Why() string {
	for _, b := range append(append([]*dsl.ClassBlock{}, c.Blocks...), c.OpBlocks...) {
		verb := "declared"
		if b.Role != dsl.RoleSchema {
			verb = "configured"
		}
		return fmt.Sprintf("%s in %s:%d", verb, b.Script.File.Path, b.NameRange.Start.Line+1)
	}
	for i, dc := range c.Docs {
		if dc.Resource && dc.Kept != "" {
			return fmt.Sprintf("%s (%s:%d)", dc.Kept, c.docPaths[i], dc.Line)
		}
	}
	for i, dc := range c.Docs {
		if dc.Resource {
			return fmt.Sprintf("a resource of %s:%d", c.docPaths[i], dc.Line)
		}
	}
	for i, dc := range c.Docs {
		if dc.Extends == c.Name {
			return fmt.Sprintf("SCIM schema extension %s extends %s (%s:%d)", dc.Schema, dc.Extends, c.docPaths[i], dc.Line)
		}
	}
	return ""
}

func inspectClass(c *Class, unitDir string) InspectClass {
	ic := InspectClass{Name: c.Name, Connector: unitDir, Embedded: c.Embedded, Scim: c.Scim, Why: c.Why(),
		Attributes: []InspectAttribute{}, ConnID: map[string]string{}, Endpoints: []InspectEndpoint{}, Files: []string{}}
	files := map[string]bool{}
	for _, b := range append(append([]*dsl.ClassBlock{}, c.Blocks...), c.OpBlocks...) {
		files[b.Script.File.Path] = true
		if ic.Source == nil {
			from := "script"
			if b.Yaml {
				from = "yaml"
			}
			s := dsl.SourceAt(b.Script.File, b.NameRange, from)
			ic.Source = &s
		}
	}
	for _, f := range c.DocFiles {
		files[f] = true
	}
	for f := range files {
		ic.Files = append(ic.Files, f)
	}
	sort.Strings(ic.Files)
	for _, a := range c.Attributes {
		ia := InspectAttribute{Name: a.Name, Type: a.Type, Format: a.Format, Readable: a.Readable, Creatable: a.Creatable,
			Updateable: a.Updateable, Required: a.Required, MultiValued: a.MultiValued, ReturnedByDefault: a.ReturnedByDefault,
			Reference: a.Reference, Complex: a.Complex, Emulated: a.Emulated, Description: a.Description, Source: a.Source(), Origin: a.Origin,
			ReferenceTo: referenceTarget(a)}
		ia.Documented = a.DocSources
		ic.Attributes = append(ic.Attributes, ia)
	}
	for _, m := range c.Mappings {
		if m.Args < 2 {
			continue
		}
		if _, ok := ic.ConnID[m.ConnID]; !ok {
			ic.ConnID[m.ConnID] = m.Attr
		}
		from := "script"
		if m.Via == "yaml" {
			from = "yaml"
		}
		ic.Mappings = append(ic.Mappings, InspectMapping{ConnID: m.ConnID, Attribute: m.Attr, Source: dsl.SourceAt(m.Class.Script.File, m.Range, from)})
	}
	for _, e := range c.Endpoints {
		ie := InspectEndpoint{Operation: e.Operation, Method: e.Method, Path: e.Path, Source: dsl.SourceAt(e.Op.Class.Script.File, e.Range, "script")}
		if e.Op.Class.Yaml {
			ie.Source.From = "yaml"
		}
		for _, s := range e.Supported {
			ie.SupportedAttributes = append(ie.SupportedAttributes, s.Name)
		}
		for _, f := range e.Filters {
			ie.Filters = append(ie.Filters, f.Name)
		}
		if e.Path == "" && e.Op.Custom {
			ie.Method, ie.Path = "", "(custom)"
		}
		ic.Endpoints = append(ic.Endpoints, ie)
	}
	for _, e := range c.DocEndpoints {
		ie := InspectEndpoint{Operation: e.Operation, Method: e.Method, Path: e.Path, Accepts: e.Accepts, Source: e.Source}
		for _, p := range e.Placeholders {
			if ie.Fills == nil {
				ie.Fills = map[string]string{}
			}
			ie.Fills[p.Name] = p.Class + "." + p.Attribute
		}
		ic.Documented = append(ic.Documented, ie)
	}
	return ic
}

func inspectRelationship(rel *dsl.Relationship, s *dsl.Script, unitDir string) InspectRelationship {
	part := func(p *dsl.Participant) InspectParticipant {
		if p == nil {
			return InspectParticipant{}
		}
		ip := InspectParticipant{Class: p.Class}
		if p.Attribute != nil {
			ip.Attribute = p.Attribute.Name
		}
		return ip
	}
	return InspectRelationship{Name: rel.Name, Connector: unitDir, Subject: part(rel.Subject), Object: part(rel.Object),
		Source: dsl.SourceAt(s.File, rel.Range, "script")}
}

// referenceTarget is the class a reference attribute points to: its
// objectClass in a script, else what a document says.
func referenceTarget(a *Attribute) string {
	for _, d := range a.Decls {
		if p := d.Prop("objectClass"); p != nil && p.Value != "" {
			return p.Value
		}
	}
	for _, d := range a.Docs {
		if d.Ref != "" {
			return d.Ref
		}
	}
	return ""
}
