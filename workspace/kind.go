package workspace

import (
	"path"
	"strings"
)

// Kind is what a workspace file is, judged from its name. For scripts the
// name is only a convention: the framework decides a script's role from
// the manifest section that lists it, so analysis may overrule the
// script kinds below (see dsl.md §1.1).
type Kind int

const (
	KindOther         Kind = iota
	KindNativeSchema       // X.native.schema.groovy (also X.native.edit.schema.groovy)
	KindConnIDSchema       // X.connid.schema.groovy
	KindAssociations       // associations*.schema.groovy
	KindSchema             // any other *.schema.groovy
	KindSearch             // X.search.groovy, X.*.search.groovy
	KindGet                // X.get.groovy
	KindList               // X.list.groovy
	KindOperation          // X.op.groovy and other *.op.groovy
	KindCreate             // X.create.op.groovy
	KindUpdate             // X.update.op.groovy
	KindDelete             // X.delete.op.groovy
	KindAuthorization      // authorization.op.groovy
	KindGroovy             // a .groovy file that follows no convention
	KindSchemaYAML         // *.schema.yaml / *.schema.yml
	KindOpYAML             // *.op.yaml / *.op.yml
	KindManifest           // connector.manifest.json / .yaml / .yml
	KindSailPoint          // sailpoint.connector.json
	KindDocJSON            // a JSON document: OpenAPI, Swagger or SCIM, judged by content
	KindDocYAML            // a YAML document: OpenAPI or Swagger, judged by content
	KindDocHTML            // an HTML page
	KindDocMarkdown        // a Markdown page
	KindJava               // a Java source: a connector class may load scripts or configure SCIM
	KindConfig             // connls.yaml: the documents that describe a connector
)

var kindNames = [...]string{
	KindOther:         "other",
	KindNativeSchema:  "native-schema",
	KindConnIDSchema:  "connid-schema",
	KindAssociations:  "associations",
	KindSchema:        "schema",
	KindSearch:        "search",
	KindGet:           "get",
	KindList:          "list",
	KindOperation:     "operation",
	KindCreate:        "create",
	KindUpdate:        "update",
	KindDelete:        "delete",
	KindAuthorization: "authorization",
	KindGroovy:        "groovy",
	KindSchemaYAML:    "schema-yaml",
	KindOpYAML:        "op-yaml",
	KindManifest:      "manifest",
	KindSailPoint:     "sailpoint",
	KindDocJSON:       "doc-json",
	KindDocYAML:       "doc-yaml",
	KindDocHTML:       "doc-html",
	KindDocMarkdown:   "doc-markdown",
	KindJava:          "java",
	KindConfig:        "config",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "other"
}

// IsGroovy reports whether files of this kind are Groovy scripts.
func (k Kind) IsGroovy() bool { return k >= KindNativeSchema && k <= KindGroovy }

// IsScript reports whether files of this kind are connector scripts, in
// Groovy or YAML.
func (k Kind) IsScript() bool { return k.IsGroovy() || k == KindSchemaYAML || k == KindOpYAML }

// IsDoc reports whether files of this kind may hold API documentation.
func (k Kind) IsDoc() bool { return k >= KindDocJSON && k <= KindDocMarkdown }

// IsSchemaByName reports whether the name marks a schema script (as
// opposed to an operation or authorization script).
func (k Kind) IsSchemaByName() bool {
	switch k {
	case KindNativeSchema, KindConnIDSchema, KindAssociations, KindSchema, KindSchemaYAML:
		return true
	}
	return false
}

// Classify judges a file's kind from its name alone.
func Classify(name string) Kind {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	lower := strings.ToLower(base)
	switch lower {
	case "connector.manifest.json", "connector.manifest.yaml", "connector.manifest.yml":
		return KindManifest
	case "sailpoint.connector.json":
		return KindSailPoint
	case "authorization.op.groovy":
		return KindAuthorization
	case ConfigName, "connls.yml":
		return KindConfig
	}
	switch {
	case strings.HasSuffix(lower, ".groovy"):
		return classifyGroovy(base[:len(base)-len(".groovy")])
	case strings.HasSuffix(lower, ".schema.yaml"), strings.HasSuffix(lower, ".schema.yml"):
		return KindSchemaYAML
	case strings.HasSuffix(lower, ".op.yaml"), strings.HasSuffix(lower, ".op.yml"):
		return KindOpYAML
	case strings.HasSuffix(lower, ".json"):
		return KindDocJSON
	case strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"):
		return KindDocYAML
	case strings.HasSuffix(lower, ".html"), strings.HasSuffix(lower, ".htm"):
		return KindDocHTML
	case strings.HasSuffix(lower, ".md"), strings.HasSuffix(lower, ".markdown"):
		return KindDocMarkdown
	case strings.HasSuffix(lower, ".java"):
		return KindJava
	}
	return KindOther
}

func classifyGroovy(stem string) Kind {
	parts := strings.Split(stem, ".")
	last := parts[len(parts)-1]
	switch {
	case len(parts) >= 2 && last == "schema":
		switch {
		case strings.HasPrefix(parts[0], "associations"):
			return KindAssociations
		case len(parts) >= 3 && parts[1] == "native":
			return KindNativeSchema
		case len(parts) >= 3 && parts[len(parts)-2] == "connid":
			return KindConnIDSchema
		}
		return KindSchema
	case len(parts) >= 2 && last == "search":
		return KindSearch
	case len(parts) == 2 && last == "get":
		return KindGet
	case len(parts) == 2 && last == "list":
		return KindList
	case len(parts) >= 2 && last == "op":
		if len(parts) >= 3 {
			switch parts[len(parts)-2] {
			case "create":
				return KindCreate
			case "update":
				return KindUpdate
			case "delete":
				return KindDelete
			}
		}
		return KindOperation
	}
	return KindGroovy
}

// ClassHint returns the object class that a conventional script name
// suggests ("User" for User.native.schema.groovy), or "".
func ClassHint(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	k := Classify(base)
	if !k.IsScript() || k == KindAssociations || k == KindAuthorization {
		return ""
	}
	stem, _, _ := strings.Cut(base, ".")
	return stem
}
