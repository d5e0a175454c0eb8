package workspace

import (
	"path"
	"strings"
)

// Kind is what a workspace file is, judged from its name: which reader
// it goes to. What a script is for (schema, search, update, ...) is the
// DSL's business: analysis/dsl reads it from the name and the manifest
// (see dsl.md §1.1).
type Kind int

const (
	KindOther       Kind = iota
	KindGroovy           // a Groovy script (*.groovy)
	KindYAMLScript       // a YAML script: *.schema.yaml, *.op.yaml (or .yml)
	KindManifest         // connector.manifest.json / .yaml / .yml
	KindSailPoint        // sailpoint.connector.json
	KindDocJSON          // a JSON document: OpenAPI, Swagger or SCIM, judged by content
	KindDocYAML          // a YAML document: OpenAPI or Swagger, judged by content
	KindDocHTML          // an HTML page
	KindDocMarkdown      // a Markdown page
	KindJava             // a Java source: a connector class may load scripts or configure SCIM
	KindConfig           // connls.yaml: the documents that describe a connector
)

var kindNames = [...]string{
	KindOther:       "other",
	KindGroovy:      "groovy",
	KindYAMLScript:  "yaml-script",
	KindManifest:    "manifest",
	KindSailPoint:   "sailpoint",
	KindDocJSON:     "doc-json",
	KindDocYAML:     "doc-yaml",
	KindDocHTML:     "doc-html",
	KindDocMarkdown: "doc-markdown",
	KindJava:        "java",
	KindConfig:      "config",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "other"
}

// IsScript reports whether files of this kind are connector scripts, in
// Groovy or YAML.
func (k Kind) IsScript() bool { return k == KindGroovy || k == KindYAMLScript }

// IsDoc reports whether files of this kind may hold API documentation.
func (k Kind) IsDoc() bool { return k >= KindDocJSON && k <= KindDocMarkdown }

// Classify judges a file's kind from its name alone.
func Classify(name string) Kind {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	lower := strings.ToLower(base)
	switch lower {
	case "connector.manifest.json", "connector.manifest.yaml", "connector.manifest.yml":
		return KindManifest
	case "sailpoint.connector.json":
		return KindSailPoint
	case ConfigName, "connls.yml":
		return KindConfig
	}
	switch {
	case strings.HasSuffix(lower, ".groovy"):
		return KindGroovy
	case strings.HasSuffix(lower, ".schema.yaml"), strings.HasSuffix(lower, ".schema.yml"),
		strings.HasSuffix(lower, ".op.yaml"), strings.HasSuffix(lower, ".op.yml"):
		return KindYAMLScript
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
