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
	switch {
	case declaresOpenAPI(text, isJSON):
		return readOpenAPI(path, text)
	case bytes.Contains(text, []byte("urn:ietf:params:scim:")):
		return readSCIM(path, text, isJSON)
	}
	return &Doc{Path: path}
}

// declaresOpenAPI looks for the "openapi" or "swagger" key. JSON writers
// may sort keys, so the whole text is searched, for the key followed by a
// colon; in YAML the key starts a line.
func declaresOpenAPI(text []byte, isJSON bool) bool {
	for _, key := range []string{"openapi", "swagger"} {
		if isJSON {
			k := []byte(`"` + key + `"`)
			for rest := text; ; {
				i := bytes.Index(rest, k)
				if i < 0 {
					break
				}
				after := bytes.TrimLeft(rest[i+len(k):], " \t\r\n")
				if len(after) > 0 && after[0] == ':' {
					return true
				}
				rest = rest[i+len(k):]
			}
			continue
		}
		if bytes.HasPrefix(text, []byte(key+":")) || bytes.Contains(text, []byte("\n"+key+":")) {
			return true
		}
	}
	return false
}
