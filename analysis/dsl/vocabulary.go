package dsl

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The vocabulary of the scimrest DSL, per block (the delegate of the
// closure the call appears in). It follows dsl.md §2: what each builder
// offers, with argument types where a literal of the wrong type is a
// sure mistake. Names resolve innermost block first, then outward
// (Groovy's DELEGATE_FIRST), so a name valid in any enclosing block is
// valid (dsl.md §2.0).

// valueType is what an argument must be when it is written as a literal.
type valueType uint8

const (
	vAny    valueType = iota
	vString           // a string
	vBool             // true or false
	vInt              // a whole number
	vClass            // a Java class: String.class or String
	vConst            // one of the block's constants (or its name as a string)
)

func (v valueType) String() string {
	return [...]string{"a value", "a string", "true or false", "a number", "a class", "a constant"}[v]
}

// member is one method of a block.
type member struct {
	args     []valueType // positional arguments; the last repeats when variadic
	min      int         // fewest arguments
	variadic bool
	block    string // the block its closure configures; runtimeBlock for code run later
	doc      string // one line for hover and completion
	// misuse, when set, is an error the framework raises for any use of
	// this member at HEAD (dsl.md §2.7, §2.9).
	misuse string
}

const runtimeBlock = "runtime"

// block is the vocabulary of one delegate.
type block struct {
	members map[string]member
	consts  []string // bare names visible in the block
	doc     string
}

func m(doc string, min int, args ...valueType) member {
	return member{args: args, min: min, doc: doc}
}

func (x member) closure(block string) member { x.block = block; return x }
func (x member) varargs() member             { x.variadic = true; return x }
func (x member) misused(msg string) member   { x.misuse = msg; return x }

var httpMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
var contentTypes = []string{"APPLICATION_JSON", "APPLICATION_XML", "APPLICATION_YAML", "APPLICATION_HAL_JSON"}
var connIDConstants = []string{"UID", "NAME", "PASSWORD", "ENABLE", "ENABLE_DATE", "DISABLE_DATE", "LOCK_OUT"}

// Java-public builder methods that scripts may call though they are not
// meant as DSL (dsl.md §2.2); never reported.
var builderInternals = map[string]member{
	"name": m("", 0), "findAttributes": m("", 0, vAny), "allAttributes": m("", 0),
	"connIdAttributeNotDefined": m("", 0, vString), "contextLookup": m("", 0), "self": m("", 0), "build": m("", 0),
}

var vocabulary = map[string]*block{
	"schema": {doc: "schema script", members: map[string]member{
		"objectClass":  m("Declares or extends an object class (merged by name across files).", 1, vString).closure("schemaClass"),
		"relationship": m("Declares a relationship between two object classes.", 1, vString).closure("relationship"),
	}},
	"operation": {doc: "operation script", members: map[string]member{
		"objectClass":    m("Configures the operations of an object class.", 1, vString).closure("opClass"),
		"test":           m("Configures the test operation.", 0).closure("test"),
		"authentication": m("Customizes authentication.", 0).closure("auth"),
	}},
	"schemaClass": {doc: "objectClass {} in a schema script", members: map[string]member{
		"description":     m("Object class description.", 1, vString),
		"embedded":        m("An embedded class (values nested in other objects) needs no UID or NAME.", 1, vBool),
		"attribute":       m("Declares or extends an attribute; the name is the API's own.", 1, vString).closure("attribute"),
		"reference":       m("Declares a reference attribute (ConnectorObjectReference).", 1, vString).closure("attribute"),
		"connIdAttribute": m(`Maps a ConnId attribute ("UID" or "NAME") to a native attribute.`, 2, vString, vString),
		"scim":            m("SCIM mapping of the object class.", 0).closure("classScim"),
		"locator":         m("Locator of the object class.", 1, vString),
		"namespace":       m("Namespace of the object class.", 1, vString),
	}},
	"attribute": {doc: "attribute {}", consts: []string{"SUBJECT", "OBJECT"}, members: map[string]member{
		"readable":          m("Whether the attribute can be read (default true); false also means not returned by default.", 1, vBool),
		"required":          m("Whether a value is required on create (default false).", 1, vBool),
		"creatable":         m("Whether the attribute can be set on create (default true).", 1, vBool),
		"updatable":         m("Whether the attribute can be updated (default true); same as updateable.", 1, vBool),
		"updateable":        m("Whether the attribute can be updated (default true); same as updatable.", 1, vBool),
		"returnedByDefault": m("Whether reads return the attribute without asking (default true).", 1, vBool),
		"multiValued":       m("Whether the attribute holds several values (default false).", 1, vBool),
		"emulated":          m("Whether a resolver computes the attribute (set by resolver {}).", 1, vBool),
		"description":       m("Attribute description.", 1, vString),
		"jsonType":          m("JSON type: string, integer, boolean, number or binary (deprecated alias of json { type }).", 1, vString),
		"openApiFormat":     m("OpenAPI format such as int64, date-time, email (deprecated alias of json { openApiFormat }).", 1, vString),
		"protocolName":      m("Remote (JSON) name (deprecated).", 1, vString),
		"remoteName":        m("Remote (JSON) name (deprecated).", 1, vString),
		"complexType":       m("Embedded object class of a complex value.", 1, vString),
		"json":              m("JSON mapping of the attribute.", 0).closure("json"),
		"connId":            m("ConnId mapping of the attribute.", 0).closure("connId"),
		"scim":              m("SCIM mapping of the attribute.", 0).closure("attrScim"),
		"objectClass":       m("Referenced object class; makes the attribute a reference.", 1, vString),
		"subtype":           m("ConnId subtype (association name).", 1, vString),
		"role":              m("Role in the reference: SUBJECT or OBJECT.", 1, vConst),
		"resolver":          m("Resolves the attribute by other searches; makes it emulated.", 0).closure("resolver"),
		"nativeType":        m("Native type name.", 1, vString),
		"asAttribute":       m("", 0),
		"isReference":       m("", 0),
		"build":             m("", 0),
	}},
	"json": {doc: "json {}", members: map[string]member{
		"name":           m("JSON key (default: the attribute name).", 1, vString),
		"type":           m("JSON type: string, integer, boolean, number or binary.", 1, vString),
		"openApiFormat":  m("OpenAPI format such as int64, date-time, email.", 1, vString),
		"path":           m("Path of the value inside the JSON object.", 1, vAny),
		"attribute":      m("Starts an attribute path.", 1, vString),
		"implementation": m("Custom value mapping (deserialize/serialize).", 0, vAny).closure("valueMapping"),
		"mappingTable":   m("Value mapping table (not implemented by the framework yet).", 0).closure("mappingTable"),
	}},
	"valueMapping": {doc: "implementation {} of a value mapping", members: map[string]member{
		"deserialize": m("Converts the JSON value; the value is `value` (not `it`).", 0).closure(runtimeBlock),
		"serialize":   m("Converts to the JSON value; the value is `it`.", 0).closure(runtimeBlock),
	}},
	"mappingTable": {doc: "mappingTable {}", members: map[string]member{
		"pair": m("A remote and a local value.", 2, vAny, vAny),
	}},
	"connId": {doc: "connId {}", consts: connIDConstants, members: map[string]member{
		"name":              m("ConnId name; use the constant (name UID), not a string.", 1, vAny),
		"type":              m("ConnId value type, e.g. String.class.", 1, vClass),
		"required":          m("Whether ConnId requires the value.", 1, vBool),
		"description":       m("ConnId description.", 1, vString),
		"returnedByDefault": m("Whether reads return the attribute by default.", 1, vBool),
		"multiValued":       m("Whether ConnId sees several values.", 1, vBool),
		"nativeName":        m("Native name of the attribute.", 1, vString),
		"subtype":           m("ConnId subtype.", 1, vString),
	}},
	"attrScim": {doc: "scim {} of an attribute", members: map[string]member{
		"name":           m("SCIM attribute name.", 1, vString),
		"type":           m("SCIM type.", 1, vString),
		"path":           m("Path of the value in the SCIM resource.", 1, vAny),
		"attribute":      m("Starts an attribute path.", 1, vString),
		"extension":      m("Starts a path in a schema extension.", 1, vString),
		"implementation": m("Custom value mapping.", 0, vAny).closure("valueMapping"),
		// inherited from AttributeBuilder.MappingBuilder, as in json {}
		"mappingTable": m("Value mapping table (not implemented by the framework yet).", 0).closure("mappingTable"),
	}},
	"classScim": {doc: "scim {} of an object class", members: map[string]member{
		"name":                 m("SCIM resource name.", 1, vString),
		"schemaUri":            m("SCIM schema URI.", 1, vString),
		"onlyExplicitlyListed": m("Only attributes declared in scripts are used.", 1, vBool),
		"extension":            m("A schema extension: alias and URI.", 2, vString, vString),
	}},
	"relationship": {doc: "relationship {}", members: map[string]member{
		"subject": m("The subject side of the relationship.", 1, vString).closure("participant"),
		"object":  m("The object side of the relationship.", 1, vString).closure("participant"),
	}},
	"participant": {doc: "subject {} / object {}", members: map[string]member{
		"attribute": m("The participant's reference attribute (only the first counts).", 1, vString).closure("attribute"),
		"owner":     m("Whether this side owns the relationship.", 0, vBool),
	}},
	"resolver": {doc: "resolver {}", consts: []string{"PER_OBJECT", "BATCH"}, members: map[string]member{
		"resolutionType": m("PER_OBJECT or BATCH.", 1, vConst),
		"implementation": m("Resolver code.", 0).closure(runtimeBlock),
		"search":         m("Search-based resolver returning a Filter.", 0).closure(runtimeBlock),
		"attribute":      m("An attribute the resolver provides.", 1, vString),
		"attributes":     m("Attributes the resolver provides.", 1, vString).varargs(),
	}},
	"opClass": {doc: "objectClass {} in an operation script", members: map[string]member{
		"search":    m("Search operation.", 0).closure("search"),
		"create":    m("Create operation.", 0).closure("create"),
		"update":    m("Update operation.", 0).closure("update"),
		"delete":    m("Delete operation.", 0).closure("delete"),
		"attribute": m("An attribute of the class (schema must be loaded first).", 1, vString),
		"list":      m("", 0).closure("opClass").misused("list {} is not implemented by the framework (it throws \"Not implemented yet.\"); use search {}"),
		"read":      m("", 0).closure("opClass").misused("read {} is not implemented by the framework (it throws \"Not implemented yet.\"); use search { endpoint(...) { singleResult() } }"),
	}},
	"search": {doc: "search {}", members: map[string]member{
		"endpoint":          m("A search endpoint (path; GET).", 1, vAny, vString).closure("searchEndpoint"),
		"custom":            m("A search implemented in Groovy.", 0).closure("custom"),
		"attributeResolver": m("Resolves attributes that searches do not return.", 0).closure("attributeResolver"),
		"normalize":         m("Normalizes search results.", 0).closure("normalize"),
		"scim":              m("SCIM search settings.", 0).closure("searchScim"),
	}},
	"searchEndpoint": {doc: "endpoint {} of a search", consts: []string{"JSON_ARRAY", "JSON_OBJECT", "GET", "POST"}, members: map[string]member{
		"responseFormat":       m("JSON_ARRAY or JSON_OBJECT (default).", 1, vConst),
		"pagingSupport":        m("Adds paging parameters to the request.", 0).closure(runtimeBlock),
		"objectExtractor":      m("Extracts the objects from the response body.", 0, vAny).closure(runtimeBlock),
		"singleResult":         m("The endpoint returns one object.", 0),
		"emptyFilterSupported": m("Whether the endpoint lists all objects without a filter.", 1, vBool),
		"attribute":            m("A filter attribute (native name, declared in the schema).", 1, vString),
		"supportedFilter":      m("A filter the endpoint supports, with the code that applies it.", 1, vAny).closure(runtimeBlock),
		"httpOperation":        m("GET or POST.", 1, vConst),
		"maxPageSize":          m("Largest page the API returns.", 1, vInt),
		"pageSize":             m("Page size to ask for.", 1, vInt),
		"pagingParameter":      m("Declarative paging: token, location[, name].", 2, vString, vString, vString),
		"request":              m("Request settings.", 0).closure("searchRequest"),
	}},
	"searchRequest": {doc: "request {} of a search endpoint", consts: contentTypes, members: map[string]member{
		"accept": m("Accepted content types.", 1, vAny).varargs(),
	}},
	"custom": {doc: "custom {}", members: map[string]member{
		"emptyFilterSupported": m("Whether the search runs without a filter.", 1, vBool),
		"supportedFilter":      m("A filter the search supports.", 1, vAny),
		"attribute":            m("A filter attribute (native name).", 1, vString),
		"implementation":       m("The search code.", 0).closure(runtimeBlock),
	}},
	"attributeResolver": {doc: "attributeResolver {}", consts: []string{"PER_OBJECT", "BATCH"}, members: map[string]member{
		"attribute":      m("An attribute the resolver provides.", 1, vString),
		"attributes":     m("Attributes the resolver provides.", 1, vString).varargs(),
		"resolutionType": m("PER_OBJECT or BATCH.", 1, vConst),
		"implementation": m("Resolver code.", 0).closure(runtimeBlock),
		"search":         m("Search-based resolver returning a Filter.", 0).closure(runtimeBlock),
	}},
	"normalize": {doc: "normalize {}", members: map[string]member{
		"toSingleValue": m("Keeps one value of a multi-valued attribute.", 1, vString),
		"rewriteUid":    m("", 0).closure(runtimeBlock),
		"rewriteName":   m("", 0).closure(runtimeBlock),
		"restoreUid":    m("", 0).closure(runtimeBlock),
		"restoreName":   m("", 0).closure(runtimeBlock),
	}},
	// The SCIM blocks follow the interfaces of groovy/api/scim
	// (ScimSearchBuilder, ScimCreateBuilder, ScimUpdateBuilder and its Put
	// and Patch), inherited methods included: supportedAttributes comes
	// from RestUpdateOperationBuilder.AttributeSpecific.
	"searchScim": {doc: "scim {} of a search", members: map[string]member{
		"enabled":              m("Whether SCIM search is used.", 1, vBool),
		"emptyFilterSupported": m("Whether SCIM search runs without a filter.", 1, vBool),
		"limitations":          m("Limits of the SCIM search.", 0).closure("searchScimLimitations"),
		"anyFilterSupported":   m("Whether SCIM search takes any filter.", 1, vBool),
		"supportedFilters":     m("A filter SCIM search supports.", 1, vAny),
	}},
	"searchScimLimitations": {doc: "limitations {} of a SCIM search", members: map[string]member{
		"emptyFilterSupported": m("Whether SCIM search runs without a filter.", 1, vBool),
		"supportedFilter":      m("A filter the SCIM server supports.", 1, vAny),
		"attribute":            m("A filter attribute (native name).", 1, vString),
	}},
	"create": {doc: "create {}", consts: httpMethods, members: map[string]member{
		"endpoint": m("A create endpoint: [METHOD,] path (default POST).", 1, vAny, vString).closure("createEndpoint"),
		"scim":     m("SCIM create settings.", 0).closure("createScim"),
	}},
	"update": {doc: "update {}", consts: httpMethods, members: map[string]member{
		"endpoint": m("An update endpoint: [METHOD,] path (default PUT); {id} is filled with the UID.", 1, vAny, vString).closure("updateEndpoint"),
		"scim":     m("SCIM update settings.", 0).closure("updateScim"),
	}},
	"delete": {doc: "delete {}", consts: httpMethods, members: map[string]member{
		"endpoint": m("A delete endpoint: [METHOD,] path (default DELETE); {id} is filled with the UID.", 1, vAny, vString).closure("deleteEndpoint"),
		"scim":     m("SCIM delete settings.", 0).closure("deleteScim"),
	}},
	"createEndpoint": {doc: "endpoint {} of create", consts: httpMethods, members: endpointMembers(true)},
	"updateEndpoint": {doc: "endpoint {} of update", consts: httpMethods, members: endpointMembers(true)},
	"deleteEndpoint": {doc: "endpoint {} of delete", consts: httpMethods, members: endpointMembers(false)},
	"request": {doc: "request {}", consts: append([]string{"EMPTY"}, contentTypes...), members: map[string]member{
		"contentType": m("Content type of the body; only APPLICATION_JSON gets a default body.", 1, vAny),
		"accept":      m("Accepted content types (stored, unused at HEAD).", 1, vAny).varargs(),
		"body":        m("Body function; EMPTY for none.", 1, vAny),
	}},
	"response": {doc: "response {}", consts: contentTypes, members: map[string]member{}},
	"supportedAttribute": {doc: "supportedAttribute {}", members: map[string]member{
		"value":      m("A value this endpoint sets.", 1, vAny),
		"transition": m("A transition between two values (never matched at HEAD; add value too).", 2, vAny, vAny),
	}},
	"createScim": {doc: "scim {} of create", members: map[string]member{
		"enabled":             m("Whether SCIM create is used.", 1, vBool),
		"limitations":         m("Limits of the SCIM server.", 0).closure("scimOpLimitations"),
		"supportedAttribute":  m("An attribute SCIM create sends.", 1, vString).closure("scimCreateAttribute"),
		"supportedAttributes": m("Attributes SCIM create sends.", 1, vString).varargs(),
	}},
	"updateScim": {doc: "scim {} of update", members: map[string]member{
		"enabled":     m("Whether SCIM update is used.", 1, vBool),
		"limitations": m("Limits of the SCIM server.", 0).closure("scimOpLimitations"),
		"put":         m("Updates by replacing the resource (PUT).", 0).closure("scimUpdateMode"),
		"patch":       m("Updates by SCIM PATCH operations.", 0).closure("scimUpdateMode"),
	}},
	"deleteScim": {doc: "scim {} of delete", members: map[string]member{
		"enabled": m("Whether SCIM delete is used.", 1, vBool),
	}},
	"scimOpLimitations": {doc: "limitations {} of a SCIM operation", members: map[string]member{}},
	"scimUpdateMode": {doc: "put {} / patch {} of a SCIM update", members: map[string]member{
		"supportedAttribute":  m("An attribute this update changes.", 1, vString).closure("scimUpdateAttribute"),
		"supportedAttributes": m("Attributes this update changes.", 1, vString).varargs(),
	}},
	"scimCreateAttribute": {doc: "supportedAttribute {} of SCIM create", members: map[string]member{
		"value":       m("A value SCIM create accepts.", 1, vAny),
		"transition":  m("A transition between two values.", 2, vAny, vAny),
		"limitations": m("Limits for this attribute.", 0).closure("scimCreateAttributeLimits"),
	}},
	"scimUpdateAttribute": {doc: "supportedAttribute {} of a SCIM update", members: map[string]member{
		"value":       m("A value the update accepts.", 1, vAny),
		"transition":  m("A transition between two values.", 2, vAny, vAny),
		"limitations": m("Limits for this attribute.", 0).closure("scimUpdateAttributeLimits"),
	}},
	"scimCreateAttributeLimits": {doc: "limitations {} of a SCIM create attribute", members: map[string]member{
		"maxPerRequest": m("Most values sent in one request; the rest follow in further requests.", 1, vInt),
	}},
	"scimUpdateAttributeLimits": {doc: "limitations {} of a SCIM update attribute", consts: []string{"ADD", "REPLACE", "REMOVE"}, members: map[string]member{
		"operations":    m("The PATCH operations the server accepts for the attribute: ADD, REPLACE, REMOVE.", 1, vConst).varargs(),
		"maxPerRequest": m("Most operations sent in one request; the rest follow in further requests.", 1, vInt),
	}},
	"test": {doc: "test {}", members: map[string]member{
		"endpoint": m("Test endpoint (no effect at HEAD).", 1, vString),
	}},
	"auth": {doc: "authentication {}", members: map[string]member{
		"rest": m("REST authentication.", 0).closure("authMethods"),
		"scim": m("SCIM authentication.", 0).closure("authMethods"),
	}},
	"authMethods": {doc: "rest {} / scim {} of authentication",
		consts: []string{"basic", "bearer", "jwtBearer", "apiKey", "oauth2ClientCredentials", "oauth2JwtBearer", "oauth2Password", "oauth2Saml", "awsSignature"},
		members: map[string]member{
			"basic":                   m("", 0).closure("authImpl"),
			"bearer":                  m("", 0).closure("authImpl"),
			"jwtBearer":               m("", 0).closure("authImpl"),
			"apiKey":                  m("", 0).closure("authImpl"),
			"oauth2ClientCredentials": m("", 0).closure("oauth2"),
			"oauth2JwtBearer":         m("", 0).closure("oauth2"),
			"oauth2Password":          m("", 0).closure("oauth2"),
			"oauth2Saml":              m("", 0).closure("oauth2"),
			"awsSignature":            m("", 0).closure("aws"),
			"withImplementation":      m("", 1, vAny).closure(runtimeBlock),
			"implementation":          m("", 1, vAny).closure(runtimeBlock),
			"preference":              m("Preferred authentication methods, in order.", 1, vAny).varargs(),
		}},
	"authImpl": {doc: "authentication method", members: map[string]member{
		"implementation": m("", 0).closure(runtimeBlock),
	}},
	"oauth2": {doc: "OAuth2 method", members: map[string]member{
		"buildTokenRequest": m("", 0).closure(runtimeBlock), "parseTokenResponse": m("", 0).closure(runtimeBlock),
		"validateToken": m("", 0).closure(runtimeBlock), "applyToken": m("", 0).closure(runtimeBlock),
		"onResponse": m("", 0).closure(runtimeBlock), "implementation": m("", 0).closure(runtimeBlock),
	}},
	"aws": {doc: "awsSignature {}", members: map[string]member{
		"beforeSign": m("", 0).closure(runtimeBlock),
	}},
}

func endpointMembers(supported bool) map[string]member {
	ms := map[string]member{
		"request":       m("Request settings.", 0).closure("request"),
		"response":      m("Response settings (none exist at HEAD).", 0).closure("response"),
		"pathParameter": m("Path parameter (no effect at HEAD).", 1, vString, vAny),
		"attribute":     m("A helper that reads an attribute of the object.", 1, vString),
		"httpOperation": m("HTTP method of the endpoint.", 1, vConst),
	}
	if supported {
		ms["supportedAttribute"] = m("An attribute this endpoint changes, optionally with the value it sets.", 1, vString).closure("supportedAttribute")
		ms["supportedAttributes"] = m("Attributes this endpoint changes (native names).", 1, vString).varargs()
	}
	return ms
}

// groovyMethods are methods every Groovy object or script has.
var groovyMethods = map[string]bool{
	"println": true, "print": true, "printf": true, "sprintf": true, "sleep": true,
	"with": true, "tap": true, "each": true, "use": true, "identity": true, "evaluate": true,
	"getProperty": true, "setProperty": true, "invokeMethod": true, "getClass": true,
	"hashCode": true, "equals": true, "toString": true, "is": true, "inspect": true,
	"dump": true, "getMetaClass": true, "run": true, "getBinding": true, "setBinding": true,
}

// Values the framework accepts for jsonType and openApiFormat (dsl.md §2.4).
var jsonTypes = []string{"string", "integer", "boolean", "number", "binary"}

var openAPIFormats = []string{
	"base64url", "binary", "byte", "char", "commonmark", "date-time", "date", "decimal",
	"decimal128", "double-int", "double", "duration", "email", "float", "hostname", "html",
	"http-date", "idn-email", "idn-hostname", "int16", "int32", "int64", "int8", "ipv4",
	"ipv6", "iri-reference", "iri", "json-pointer", "media-range", "password", "regex",
	"relative-json-pointer", "sf-binary", "sf-boolean", "sf-decimal", "sf-integer",
	"sf-string", "sf-token", "time", "uint8", "uri-reference", "uri-template", "uri", "uuid",
}

// whereValid lists the blocks in which a name is a member, for messages
// such as "endpoint belongs in search {}, create {}, ...".
func whereValid(name string) []string {
	var out []string
	for id, b := range vocabulary {
		if _, ok := b.members[name]; ok {
			out = append(out, vocabulary[id].doc)
		}
	}
	sort.Strings(out)
	return out
}

// BlockMembers returns the names a block offers, sorted: the DSL that
// completion proposes (internal builder methods left out).
func BlockMembers(id string) []string {
	b := vocabulary[id]
	if b == nil {
		return nil
	}
	out := make([]string, 0, len(b.members))
	for name, mem := range b.members {
		if mem.misuse == "" && mem.doc != "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// MemberDoc returns the one-line documentation of a block's member.
func MemberDoc(block, name string) (string, bool) {
	b := vocabulary[block]
	if b == nil {
		return "", false
	}
	m, ok := b.members[name]
	if !ok {
		return "", false
	}
	if m.misuse != "" {
		return m.misuse, true
	}
	doc := m.doc
	if m.block == runtimeBlock {
		doc += " Its closure is Groovy code the framework runs later."
	}
	return doc, true
}

// BlockDoc names a block for people: "attribute {}".
func BlockDoc(block string) string {
	if b := vocabulary[block]; b != nil {
		return b.doc
	}
	return block
}

// BlockConstants returns the bare constants visible in a block.
func BlockConstants(block string) []string {
	if b := vocabulary[block]; b != nil {
		return b.consts
	}
	return nil
}

// JSONTypes returns the jsonType values the framework knows.
func JSONTypes() []string { return append([]string(nil), jsonTypes...) }

// OpenAPIFormats returns the openApiFormat values the framework knows.
func OpenAPIFormats() []string { return append([]string(nil), openAPIFormats...) }

// IsJSONType reports whether the framework knows a jsonType value.
func IsJSONType(v string) bool { return slices.Contains(jsonTypes, v) }

// IsOpenAPIFormat reports whether the framework knows an openApiFormat value.
func IsOpenAPIFormat(v string) bool { return slices.Contains(openAPIFormats, v) }

// MemberSnippet returns an LSP snippet that writes a call of a block's
// member: command style for one plain argument (jsonType "$1",
// readable ${1|true,false|}), call style otherwise, and the member's
// block when it takes one. It returns "" for an unknown member.
func MemberSnippet(block, name string) string {
	b := vocabulary[block]
	if b == nil {
		return ""
	}
	mem, ok := b.members[name]
	if !ok {
		return ""
	}
	var args []string
	for i, t := range mem.args {
		if i >= max(mem.min, 1) {
			break
		}
		n := i + 1
		switch t {
		case vString:
			args = append(args, fmt.Sprintf(`"${%d}"`, n))
		case vBool:
			args = append(args, fmt.Sprintf("${%d|true,false|}", n))
		case vConst:
			if len(b.consts) > 0 {
				args = append(args, fmt.Sprintf("${%d|%s|}", n, strings.Join(b.consts, ",")))
			} else {
				args = append(args, fmt.Sprintf("${%d}", n))
			}
		default:
			args = append(args, fmt.Sprintf("${%d}", n))
		}
	}
	s := name
	switch {
	case mem.block != "" && len(args) > 0:
		s += "(" + strings.Join(args, ", ") + ")"
	case len(args) == 1:
		s += " " + args[0]
	case len(args) > 1:
		s += "(" + strings.Join(args, ", ") + ")"
	}
	if mem.block != "" {
		s += " {\n\t$0\n}"
	}
	return s
}

// MemberTakesBlock reports whether a block's member takes a closure.
func MemberTakesBlock(block, name string) bool {
	if b := vocabulary[block]; b != nil {
		return b.members[name].block != ""
	}
	return false
}

// MemberFirstArg says what the first argument of a block's member is:
// "string", "bool", "const", "class", "number" or "any"; "" when the
// member is unknown or takes none.
func MemberFirstArg(block, name string) string {
	b := vocabulary[block]
	if b == nil {
		return ""
	}
	mem, ok := b.members[name]
	if !ok || len(mem.args) == 0 {
		return ""
	}
	return [...]string{"any", "string", "bool", "number", "class", "const"}[mem.args[0]]
}
