package dsl

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/connls/connls/workspace"
)

// JavaConnector is what connls reads from the Java sources of a connector
// module (src/main/java): a connector class that loads its scripts by
// name, like OpenProject's initializeSchema with
// loader.loadFromResource("/User.native.schema.groovy") (dsl.md §1.1),
// and whether the connector talks to a SCIM server (its configuration
// implements ScimClientConfiguration). The scripts such a class loads
// play the part of a manifest's entries.
type JavaConnector struct {
	File *workspace.File
	// Root is the module's src/main/resources folder, against which the
	// loaded paths resolve.
	Root  string
	Loads []*ManifestEntry
	Scim  bool
}

var (
	loadRe = regexp.MustCompile(`\.\s*loadFromResource\s*\(\s*"([^"]*)"\s*\)`)
	// The initialize methods of AbstractGroovyRestConnector decide the
	// role of what they load.
	javaSections = []struct {
		method  *regexp.Regexp
		section string
	}{
		{regexp.MustCompile(`\binitializeSchema\s*\(`), "schema"},
		{regexp.MustCompile(`\binitializeAuthorizationHandler\s*\(`), "authorization"},
		{regexp.MustCompile(`\binitializeObjectClassHandler\s*\(`), "operation"},
	}
	javaScimMarks = []string{"ScimClientConfiguration", "getScimBaseUrl"}
)

// javaResourcesRoot returns the src/main/resources folder of the module
// that holds a Java source in src/main/java, or "".
func javaResourcesRoot(abs string) string {
	for d := filepath.Dir(abs); d != filepath.Dir(d); d = filepath.Dir(d) {
		if filepath.Base(d) == "java" && filepath.Base(filepath.Dir(d)) == "main" && filepath.Base(filepath.Dir(filepath.Dir(d))) == "src" {
			return filepath.Join(filepath.Dir(d), "resources")
		}
	}
	return ""
}

// ReadJavaConnector reads a Java source of a connector module; it returns
// nil for a file that loads no script and does not configure SCIM.
func ReadJavaConnector(f *workspace.File) *JavaConnector {
	root := javaResourcesRoot(f.Abs)
	if root == "" {
		return nil
	}
	jc := &JavaConnector{File: f, Root: root}
	code := javaCode(f.Text)
	for _, mark := range javaScimMarks {
		jc.Scim = jc.Scim || strings.Contains(code, mark)
	}
	sectionAt := map[int]string{}
	for _, s := range javaSections {
		for _, loc := range s.method.FindAllStringIndex(code, -1) {
			sectionAt[loc[0]] = s.section
		}
	}
	lines := f.Lines()
	for _, m := range loadRe.FindAllStringSubmatchIndex(code, -1) {
		section := sectionBefore(sectionAt, m[0], "schema")
		script := code[m[2]:m[3]]
		e := &ManifestEntry{Section: section, Script: script, Range: lines.Range(m[2]-1, m[3]+1)}
		e.Abs = filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(script, "/")))
		jc.Loads = append(jc.Loads, e)
	}
	if len(jc.Loads) == 0 && !jc.Scim {
		return nil
	}
	return jc
}

// sectionBefore returns the section of the last initialize method that
// starts before pos, or def.
func sectionBefore(sections map[int]string, pos int, def string) string {
	best := -1
	for at, s := range sections {
		if at < pos && at > best {
			best, def = at, s
		}
	}
	return def
}

// javaCode blanks a Java source's comments, keeping every offset, so
// that a commented-out load (// builder.loadFromResource(...)) does not
// count.
func javaCode(text []byte) string {
	b := []byte(string(text))
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '"':
			for i++; i < len(b) && b[i] != '"' && b[i] != '\n'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '/':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		}
	}
	return string(b)
}
