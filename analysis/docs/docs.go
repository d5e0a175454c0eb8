// Package docs reads API documentation (OpenAPI 3.x and Swagger 2.0,
// SCIM 2.0 schemas and resource types, HTML and Markdown pages) into
// object classes, attributes and endpoints, each with the line it came
// from. Readers are deterministic and conservative: they would rather
// miss a fact than invent one.
package docs

// Format names the kind of document a fact came from.
const (
	FormatOpenAPI  = "openapi"
	FormatSwagger  = "swagger"
	FormatSCIM     = "scim"
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	// FormatProse is a page connls cannot read facts from (no schema
	// table, no endpoint); only an LLM assistant reads its sections.
	FormatProse = "prose"
)

// Doc is what one document says about the API.
type Doc struct {
	Path   string // as given to the reader (slash path relative to the workspace)
	Format string // FormatOpenAPI, ...; "" when the file is not API documentation
	Title  string
	// BasePath is the path of the base address the document's paths are
	// relative to (servers[0].url of OpenAPI 3, basePath of Swagger 2):
	// "/api/v1"; "" when the document does not say.
	BasePath  string
	Classes   []*Class
	Endpoints []*Endpoint
	Chunks    []*Chunk // the document split by class or path group
	Problems  []Problem
	// Security lists the security schemes the document declares, and
	// Secured the names of those its operations require by default.
	Security []SecurityScheme
	Secured  []string
}

// SecurityScheme is a way the API authenticates requests.
type SecurityScheme struct {
	Name string
	Line int
	// Type is basic, bearer, apiKey or oauth2 (http schemes are read
	// into basic and bearer).
	Type        string
	In          string // apiKey: header, query or cookie
	Param       string // apiKey: the header or query parameter
	Format      string // bearer: the bearerFormat (JWT)
	TokenURL    string // oauth2 client credentials: where tokens come from
	Flows       []string
	Description string
}

// Param is a query or header parameter of an endpoint.
type Param struct {
	Name        string
	In          string // query or header
	Type        string
	Description string
	Required    bool
}

// Class is an object class a document describes.
type Class struct {
	Name        string
	Line        int // one-based line of its definition
	Description string
	Attributes  []*Attribute
	Schema      string   // the schema's own name or URI
	Extensions  []string // SCIM: URIs of the schema extensions of a resource type
	// Resource is true when endpoints serve the class (a resource, not a
	// helper schema such as an error or a list wrapper).
	Resource bool
	// Kept says why the class is a resource: the endpoint or the schema
	// that made it one ("GET /orgs/{org} returns Organization").
	Kept string
	// Extends names the class a SCIM schema extension adds attributes to
	// (EnterpriseUser extends User).
	Extends string
}

// Attribute returns the attribute with the given name, or nil.
func (c *Class) Attribute(name string) *Attribute {
	for _, a := range c.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Attribute is an attribute a document describes.
type Attribute struct {
	Name string
	Line int
	// File is the file the attribute is written in, when it is another
	// file than the document (a multi-file description): a slash path
	// relative to the workspace root.
	File        string
	Type        string // JSON type: string, integer, number, boolean, object, array item type
	Format      string // OpenAPI format
	Description string
	Required    bool
	ReadOnly    bool // not creatable, not updateable
	WriteOnly   bool // not readable
	Immutable   bool // creatable, not updateable (SCIM, or the description's own words)
	// What the documented bodies imply where the schema states nothing:
	// no create body takes the attribute, no update body takes it, only
	// request bodies carry it (never read back).
	NoCreate, NoUpdate, NoRead bool
	MultiValued                bool
	Complex                    bool // an object whose parts are flattened beside it
	Enum                       []string
	Returned                   string // SCIM: always, never, default, request
	Uniqueness                 string // SCIM: none, server, global
	Mutability                 string // SCIM mutability as written
	Ref                        string // class a reference points to, when known
}

// Readable reports whether reads return the attribute.
func (a *Attribute) Readable() bool { return !a.WriteOnly && !a.NoRead && a.Returned != "never" }

// Creatable reports whether create accepts the attribute.
func (a *Attribute) Creatable() bool { return !a.ReadOnly && !a.NoCreate }

// Updateable reports whether update accepts the attribute.
func (a *Attribute) Updateable() bool { return !a.ReadOnly && !a.Immutable && !a.NoUpdate }

// Endpoint is an API operation.
type Endpoint struct {
	Method string // upper case
	// Path is the path as documented, relative to the document's base
	// path; placeholders are written {name} (a page's :id is {id}).
	Path string
	Line int
	// Operation is search, get, create, update, delete, action, current
	// (GET of one object without an identifier: the current user, a
	// singleton) or other.
	Operation  string
	Class      string // the class it serves, when known
	PathParams []string
	// Placeholders say which attribute fills each path placeholder,
	// where the documentation tells.
	Placeholders []Placeholder
	// Accepts lists the attributes a create or update request body takes.
	Accepts []string
	Summary string
	// Action names what an action endpoint does (lock, unlock, activate),
	// taken from the last path segment.
	Action string
	// Sets describes the attribute value an action sets, when the docs
	// say so: "status=locked".
	Sets string
	// Params are the endpoint's query and header parameters.
	Params []Param
	// What a search returns: a JSON array (ResponseArray), or an object
	// whose property at ResponseItems (a dotted path: "data",
	// "_embedded.elements") holds the array; ResponseHeaders names the
	// headers of the success response (Link, X-Total-Count).
	ResponseArray   bool
	ResponseItems   string
	ResponseHeaders []string
}

// Placeholder says what fills a path placeholder: /admin/users/{username}
// takes the login of a User.
type Placeholder struct {
	Name      string // as written in the path: "username"
	Class     string // the class whose attribute fills it: the endpoint's own, or the one it is nested in
	Attribute string // "login"
	// From says how connls knows: "name" (the placeholder is the
	// attribute's name), "description" (the parameter's description
	// names it) or "get" (the class's get endpoint uses the same
	// placeholder for it).
	From string
}

// Chunk is a part of a document about one class or path group; generation
// reports its progress in chunks.
type Chunk struct {
	Title     string
	Class     string
	StartLine int
	EndLine   int
}

// Problem is something wrong with a document.
type Problem struct {
	Line    int // one-based; 0 when unknown
	Column  int // one-based; 0 when unknown
	Message string
}
