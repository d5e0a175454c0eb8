// Package synth writes synthetic connector workspaces for benchmarks and
// scale tests: N classes of M attributes with native schema, connid,
// search and update scripts, a manifest, and an OpenAPI document padded
// to a chosen size. Output is deterministic for a given seed.
package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
)

// Options describe a workspace.
type Options struct {
	Classes    int   // object classes
	Attributes int   // attributes per class
	Seed       int64 // same seed, same workspace
	// OpenAPIBytes is the smallest size of docs/openapi.json; 0 writes
	// no document. Extra size comes from further documented schemas.
	OpenAPIBytes int
	// ExtraFiles pads the workspace with further documented classes
	// until it holds this many script files (for 1,000-file runs).
	Files int
}

var types = []struct{ json, format string }{
	{"string", ""}, {"string", "email"}, {"integer", "int64"}, {"boolean", ""}, {"string", "date-time"}, {"number", ""},
}

// Write creates the workspace in dir and returns the number of files.
func Write(dir string, o Options) (int, error) {
	if o.Classes <= 0 {
		o.Classes = 1
	}
	if o.Attributes < 2 {
		o.Attributes = 2
	}
	rng := rand.New(rand.NewSource(o.Seed))
	classes := o.Classes
	if o.Files > 0 && o.Files/4 > classes {
		classes = o.Files / 4
	}
	type entry struct {
		Script string `json:"script"`
	}
	var schema, ops []entry
	files := 0
	write := func(name string, data []byte) error {
		files++
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	for c := 0; c < classes; c++ {
		name := className(c)
		native, connid, search, update := ClassScripts(name, o.Attributes, rng)
		for _, f := range []struct {
			suffix string
			data   []byte
			op     bool
		}{
			{".native.schema.groovy", native, false},
			{".connid.schema.groovy", connid, false},
			{".search.groovy", search, true},
			{".update.op.groovy", update, true},
		} {
			if err := write(name+f.suffix, f.data); err != nil {
				return files, err
			}
			if f.op {
				ops = append(ops, entry{"/" + name + f.suffix})
			} else {
				schema = append(schema, entry{"/" + name + f.suffix})
			}
		}
	}
	manifest, _ := json.MarshalIndent(map[string]any{
		"application": map[string]string{"name": "Synthetic"},
		"connector":   map[string]any{"schema": schema, "operation": ops},
	}, "", "  ")
	if err := write("connector.manifest.json", manifest); err != nil {
		return files, err
	}
	if o.OpenAPIBytes > 0 {
		if err := write("docs/openapi.json", OpenAPI(classes, o.Attributes, o.OpenAPIBytes, rng)); err != nil {
			return files, err
		}
	}
	return files, nil
}

func className(i int) string { return fmt.Sprintf("Class%03d", i) }

// ClassScripts returns the four scripts of one class.
func ClassScripts(name string, attrs int, rng *rand.Rand) (native, connid, search, update []byte) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "objectClass(%q) {\n    description \"Synthetic class %s\"\n", name, name)
	fmt.Fprintf(&b, "    attribute(\"id\") {\n        jsonType \"integer\"\n        openApiFormat \"int64\"\n        creatable false\n        updateable false\n    }\n")
	fmt.Fprintf(&b, "    attribute(\"name\") {\n        jsonType \"string\"\n        required true\n    }\n")
	for a := 2; a < attrs; a++ {
		t := types[rng.Intn(len(types))]
		fmt.Fprintf(&b, "    attribute(\"attr%d\") {\n        jsonType %q\n", a, t.json)
		if t.format != "" {
			fmt.Fprintf(&b, "        openApiFormat %q\n", t.format)
		}
		if rng.Intn(4) == 0 {
			b.WriteString("        multiValued true\n")
		}
		fmt.Fprintf(&b, "        description \"Attribute %d of %s\"\n    }\n", a, name)
	}
	b.WriteString("}\n")
	native = append([]byte(nil), b.Bytes()...)
	connid = []byte(fmt.Sprintf("objectClass(%q) {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"name\")\n}\n", name))
	path := "/" + lowerPlural(name)
	search = []byte(fmt.Sprintf(`objectClass(%q) {
    search {
        endpoint(%q) {
            objectExtractor {
                return response.body().get("items")
            }
            pagingSupport {
                request.queryParameter("limit", paging.pageSize)
            }
            emptyFilterSupported true
        }
        endpoint("%s/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }
    }
}
`, name, path, path))
	update = []byte(fmt.Sprintf(`objectClass(%q) {
    update {
        endpoint(PATCH, "%s/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "name", "attr2"
        }
    }
}
`, name, path))
	return
}

func lowerPlural(name string) string {
	return string(bytes.ToLower([]byte(name[:1]))) + name[1:] + "s"
}

// BigScript returns one native schema script of about the given number of
// lines: several classes of many attributes, the shape of the largest
// real scripts.
func BigScript(lines int) []byte {
	rng := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	line := 0
	for c := 0; line < lines; c++ {
		native, _, _, _ := ClassScripts(className(c), 60, rng)
		b.Write(native)
		line += bytes.Count(native, []byte{'\n'})
	}
	return b.Bytes()
}

// OpenAPI returns an OpenAPI 3.0 JSON document describing the classes,
// padded with further schemas until it has at least size bytes.
func OpenAPI(classes, attrs, size int, rng *rand.Rand) []byte {
	paths := map[string]any{}
	schemas := map[string]any{}
	addClass := func(name string) {
		props := map[string]any{
			"id":   map[string]any{"type": "integer", "format": "int64", "readOnly": true},
			"name": map[string]any{"type": "string", "description": "The " + name + "'s name"},
		}
		for a := 2; a < attrs; a++ {
			t := types[rng.Intn(len(types))]
			p := map[string]any{"type": t.json, "description": fmt.Sprintf("Attribute %d of %s, documented at some length so that the document reaches a realistic size.", a, name)}
			if t.format != "" {
				p["format"] = t.format
			}
			props[fmt.Sprintf("attr%d", a)] = p
		}
		schemas[name] = map[string]any{"type": "object", "required": []string{"name"}, "properties": props}
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		body := map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": ref}}}
		ok := map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": ref}}}}
		path := "/" + lowerPlural(name)
		paths[path] = map[string]any{
			"get":  map[string]any{"summary": "List " + name, "responses": map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "array", "items": ref}}}}}},
			"post": map[string]any{"summary": "Create " + name, "requestBody": body, "responses": ok},
		}
		paths[path+"/{id}"] = map[string]any{
			"parameters": []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}}},
			"get":        map[string]any{"summary": "Get " + name, "responses": ok},
			"patch":      map[string]any{"summary": "Update " + name, "requestBody": body, "responses": ok},
			"delete":     map[string]any{"summary": "Delete " + name, "responses": map[string]any{"204": map[string]any{"description": "Deleted"}}},
		}
	}
	for c := 0; c < classes; c++ {
		addClass(className(c))
	}
	doc := func() []byte {
		out, _ := json.MarshalIndent(map[string]any{
			"openapi":    "3.0.3",
			"info":       map[string]any{"title": "Synthetic API", "version": "1"},
			"paths":      paths,
			"components": map[string]any{"schemas": schemas},
		}, "", "  ")
		return out
	}
	out := doc()
	for extra := 0; len(out) < size; {
		// Grow in steps of about a tenth of what is missing.
		step := max(1, (size-len(out))/(len(out)/max(1, classes+extra)+1)/2+1)
		for i := 0; i < step; i++ {
			addClass(fmt.Sprintf("Extra%05d", extra))
			extra++
		}
		out = doc()
	}
	return out
}
