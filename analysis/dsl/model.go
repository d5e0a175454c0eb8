// Package dsl reads one connector file of the framework's DSL: a Groovy
// or YAML script into its blocks (classes, attributes, mappings,
// operations, endpoints), a manifest into its entries, a Java connector
// class into the scripts it loads. It knows nothing of units, merged
// classes or rules: each reading depends on its file's name and text
// (and, for a script, the role its manifest gives it) and nothing else.
package dsl

import (
	"github.com/connls/connls/workspace"
)

// Role is what the framework does with a script: it is decided by the
// manifest section that lists the script (dsl.md §1.1), or, without a
// manifest, guessed from the name and the content.
type Role int

const (
	RoleUnknown Role = iota
	RoleSchema
	RoleOperation
	RoleAuthorization
)

func (r Role) String() string {
	return [...]string{"unknown", "schema", "operation", "authorization"}[r]
}

// Source says where a fact came from.
type Source struct {
	File  string          `json:"file"`           // slash path relative to the workspace root
	Line  int             `json:"line"`           // one-based
	From  string          `json:"from,omitempty"` // script, yaml, openapi, scim, html, markdown
	Range workspace.Range `json:"-"`
	Abs   string          `json:"-"`
}

// Script is the model of one DSL script.
type Script struct {
	File          *workspace.File
	Kind          ScriptKind // what the file name says
	Role          Role
	RoleFrom      string // "manifest", "name" or "content"
	Classes       []*ClassBlock
	Relationships []*Relationship
	Problems      []Problem // what the reader found wrong: unknown names, wrong values, syntax
	Ignores       []Ignore  // connls:ignore comments
	Scopes        []Scope   // the DSL blocks, for completion
	// ContentRole is the role the content suggests, which may differ from
	// Role when a manifest lists a script in the wrong section.
	ContentRole Role
	// Scim is set when the script configures SCIM anywhere (an object
	// class, an attribute, an operation or authentication): its connector
	// talks to a SCIM server, whose /Schemas adds classes and attributes
	// at run time.
	Scim bool
	// Inferred is set when the text holds a connls:inferred mark (see
	// InferredMark), so that the rule about such marks looks at the text
	// of those scripts only.
	Inferred bool
}

// InferredMark starts a comment that says a generated line is a guess:
// connls generates it above code no script or document supports.
const InferredMark = "connls:inferred"

// Broken reports whether the script has syntax errors or statements the
// parser could not read: then only those are reported in it, since the
// rest of its reading is a guess.
func (s *Script) Broken() bool {
	for _, p := range s.Problems {
		if p.Code == "syntax" || p.Code == "unread-statement" {
			return true
		}
	}
	return false
}

// OutOfTime reports whether the parser gave up on a statement of the
// script only because the machine was busy: such a reading is never kept.
func (s *Script) OutOfTime() bool {
	for _, p := range s.Problems {
		if p.Code == "unread-statement" && p.Severity == SevInformation {
			return true
		}
	}
	return false
}

// Scope is a DSL block of a script: the inside of its braces, the
// vocabulary that applies there and the class it configures.
type Scope struct {
	Range workspace.Range
	Block string // the vocabulary block ("attribute", "updateEndpoint", ...)
	Class string
}

// ScopeAt returns the innermost DSL block containing pos, and whether
// there is one; outside every block it is the script's top level.
func (s *Script) ScopeAt(pos workspace.Pos) (Scope, bool) {
	var best Scope
	found := false
	for _, sc := range s.Scopes {
		if sc.Range.Contains(pos) && (!found || !sc.Range.Start.Before(best.Range.Start)) {
			best, found = sc, true
		}
	}
	return best, found
}

// Ignore is a `// connls:ignore CODE...` comment: it silences the codes
// on its own line and on the line below.
type Ignore struct {
	Line  int // zero-based
	Codes []string
}

// ClassBlock is one objectClass("X") { ... } block of a script.
type ClassBlock struct {
	Name       string
	NameRange  workspace.Range
	Range      workspace.Range // the whole call
	Body       workspace.Range // inside the braces, when there are any
	Script     *Script
	Role       Role
	Props      []*Prop // description, embedded
	Attributes []*AttrDecl
	Mappings   []*Mapping
	Scim       *Prop // the scim {} block, when present
	Ops        []*OpBlock
	Yaml       bool // read from a YAML document
}

// Prop is one property setting such as `updateable false`.
type Prop struct {
	Name       string // canonical name (updatable is stored as updateable)
	Key        string // as written
	Block      string // the block it was written in: "", "json", "connId", "scim"
	Value      string // the literal's text (decoded for strings)
	Literal    string // the literal's kind: string, bool, number, ident, dotted, or "" for expressions
	Range      workspace.Range
	ValueRange workspace.Range
}

// AttrDecl is one attribute("x") { ... } or reference("x") { ... } block.
type AttrDecl struct {
	Name             string
	NameRange        workspace.Range
	Range            workspace.Range
	Body             workspace.Range // inside the braces, when there are any
	HasBody          bool
	Class            *ClassBlock // nil for the attribute of a relationship participant
	Script           *Script
	Reference        bool
	Props            []*Prop
	Resolver         bool // has a resolver {}
	FromRelationship string
}

// Prop returns the last setting of a property, or nil.
func (a *AttrDecl) Prop(name string) *Prop {
	for i := len(a.Props) - 1; i >= 0; i-- {
		if a.Props[i].Name == name {
			return a.Props[i]
		}
	}
	return nil
}

// Mapping maps a ConnId attribute (UID, NAME) to a native attribute.
type Mapping struct {
	ConnID      string // as written: "UID", "NAME", or a wrong name
	ConnIDRange workspace.Range
	Attr        string
	AttrRange   workspace.Range
	Range       workspace.Range
	Class       *ClassBlock
	Args        int    // arguments given to connIdAttribute
	Chain       bool   // written as a command chain without a comma
	Via         string // "connIdAttribute", "connId" (connId { name UID }) or "yaml"
	Literal     bool   // both arguments are string literals
}

// OpBlock is search {}, create {}, update {}, delete {} of a class.
type OpBlock struct {
	Kind      string
	Range     workspace.Range
	Body      workspace.Range
	Endpoints []*Endpoint
	Resolvers []*NameRef // attributes resolved by attributeResolver {}
	Custom    bool
	Scim      bool
	Class     *ClassBlock
}

// Endpoint is one endpoint of an operation.
type Endpoint struct {
	Operation        string // search, create, update, delete
	Method           string // HTTP method; the framework's default when not written
	MethodSet        bool   // the method was written
	MethodRange      workspace.Range
	Path             string
	PathRange        workspace.Range
	Range            workspace.Range
	Body             workspace.Range
	Supported        []*SupportedAttr // supportedAttribute(s)
	Filters          []*NameRef       // attributes used in search filters
	SupportedFilters int              // supportedFilter(...) calls: each turns emptyFilterSupported off by default
	// FilterSpecs are the supportedFilter(...) declarations of a search
	// endpoint: which attribute, with which operator, and which request
	// parameter its closure fills with the value.
	FilterSpecs      []*FilterSpec
	ContentType      string
	ContentTypeRange workspace.Range
	RequestBody      string // EMPTY, an expression, or "closure"
	RequestBodyRange workspace.Range
	EmptyFilter      *bool
	SingleResult     bool
	Op               *OpBlock
}

// SupportedAttr is an attribute an endpoint changes.
type SupportedAttr struct {
	NameRef
	Values      []string
	Transitions int
	// TransitionPairs are the literal (from, to) values of the
	// transitions, as Groovy source; a transition with other arguments is
	// counted but not listed.
	TransitionPairs [][2]string
}

// FilterSpec is one supportedFilter(attribute("x").eq()...) { ... } of a
// search endpoint.
type FilterSpec struct {
	Attr NameRef
	Op   string // eq, contains, or "" when the chain names neither
	// PathParam and QueryParam name the request parameter the filter's
	// closure sets (request.pathParameter("org", value)), when it sets one
	// with a literal name.
	PathParam, QueryParam string
}

// NameRef is a name written somewhere, with its range.
type NameRef struct {
	Name  string
	Range workspace.Range
}

// Relationship is relationship("R") { subject(...) {...}; object(...) {...} }.
type Relationship struct {
	Name    string
	Range   workspace.Range
	Subject *Participant
	Object  *Participant
}

// Participant is one side of a relationship.
type Participant struct {
	Class      string
	ClassRange workspace.Range
	Attribute  *AttrDecl
}

// Severity of a diagnostic, ordered as in LSP (1 is the most severe).
type Severity int

const (
	SevError       Severity = 1
	SevWarning     Severity = 2
	SevInformation Severity = 3
	SevHint        Severity = 4
)

func (s Severity) String() string {
	switch s {
	case SevError:
		return "error"
	case SevWarning:
		return "warning"
	case SevInformation:
		return "info"
	}
	return "hint"
}

// ParseSeverity reads "error", "warning", "info" or "hint".
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return SevError, true
	case "warning", "warn":
		return SevWarning, true
	case "info", "information":
		return SevInformation, true
	case "hint", "none":
		return SevHint, true
	}
	return 0, false
}

// Problem is a diagnostic: a finding at a place, with an optional fix.
type Problem struct {
	Code     string
	Severity Severity
	Abs      string // absolute path of the file
	Path     string // slash path relative to the workspace root
	Range    workspace.Range
	Message  string
	Related  []Related
	Fixes    []Fix
	// Cause is, for a finding made from midPoint's errors, the code of
	// the static rule that finds the same mistake ("" when none).
	Cause string
}

// Related is another place that explains a problem.
type Related struct {
	Abs     string
	Path    string
	Range   workspace.Range
	Message string
}

// Fix is a quick fix: edits of one or more files.
type Fix struct {
	Title string
	Edits []Edit
}

// Edit replaces a range of a file with new text.
type Edit struct {
	Abs     string
	Range   workspace.Range
	NewText string
}

// SourceAt returns the source of a range of a file, read from a script
// ("script", "yaml") or a relationship ("relationship").
func SourceAt(f *workspace.File, r workspace.Range, from string) Source {
	return Source{File: f.Path, Line: r.Start.Line + 1, From: from, Range: r, Abs: f.Abs}
}

// Source returns where an attribute is declared.
func (d *AttrDecl) Source() Source {
	from := "script"
	if d.Class != nil && d.Class.Yaml {
		from = "yaml"
	}
	if d.FromRelationship != "" {
		from = "relationship"
	}
	f := d.File()
	if f == nil {
		return Source{From: from}
	}
	return SourceAt(f, d.NameRange, from)
}

// File returns the file of the script that declares the attribute, or nil.
func (d *AttrDecl) File() *workspace.File {
	if d.Script != nil {
		return d.Script.File
	}
	return nil
}
