package docs

import (
	"bytes"
	"strings"
)

// Read reads a document, judging its format from its name and content.
// A file that is not API documentation gives a Doc with Format "".
func Read(path string, text []byte) *Doc {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".json"):
		return readStructured(path, text, true)
	case strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"):
		return readStructured(path, text, false)
	case strings.HasSuffix(lower, ".html"), strings.HasSuffix(lower, ".htm"):
		return readHTML(path, text)
	case strings.HasSuffix(lower, ".md"), strings.HasSuffix(lower, ".markdown"):
		return readMarkdown(path, text)
	}
	return &Doc{Path: path}
}

// readStructured sniffs a JSON or YAML file: OpenAPI and Swagger declare
// themselves in their first keys; SCIM documents carry SCIM URNs.
func readStructured(path string, text []byte, isJSON bool) *Doc {
	head := text
	if len(head) > 4096 {
		head = head[:4096]
	}
	switch {
	case bytes.Contains(head, []byte(`"openapi"`)) || bytes.Contains(head, []byte("openapi:")) ||
		bytes.Contains(head, []byte(`"swagger"`)) || bytes.Contains(head, []byte("swagger:")):
		return readOpenAPI(path, text)
	case bytes.Contains(text, []byte("urn:ietf:params:scim:")):
		return readSCIM(path, text, isJSON)
	}
	return &Doc{Path: path}
}
