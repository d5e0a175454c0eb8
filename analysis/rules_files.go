package analysis

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Rules about the manifest and the documents (dsl.md §1.2, §1.4).

func init() {
	register(&Rule{Code: "manifest-invalid", Severity: dsl.SevError,
		Summary: "A manifest that cannot be read: bad JSON or YAML, no connector object, entries without a script.",
		Help:    "Follow the shape { \"connector\": { \"schema\": [ { \"script\": \"/X.groovy\" } ], ... } }.",
		Example: "{ \"application\": { \"name\": \"X\" } }"})
	register(&Rule{Code: "manifest-multiple", Severity: dsl.SevError, check: checkManifests,
		Summary: "More than one connector.manifest.* in one directory: the framework fails with \"Multiple connector manifests found\".",
		Help:    "Keep exactly one manifest.",
		Example: `-- connector.manifest.json --
{ "connector": { "schema": [ { "script": "/User.native.schema.groovy" } ] } }
-- connector.manifest.yaml --
connector:
  schema:
    - script: /User.native.schema.groovy
-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}`})
	register(&Rule{Code: "manifest-missing-script", Severity: dsl.SevError,
		Summary: "A manifest (or a Java connector class that loads scripts by name) lists a script that does not exist (nor its YAML fallback): \"Script resource not found\".",
		Help:    "Fix the path or create the script.",
		Example: "{ \"connector\": { \"schema\": [ { \"script\": \"/Usr.native.schema.groovy\" } ] } }"})
	register(&Rule{Code: "manifest-relative-path", Severity: dsl.SevError,
		Summary: "A manifest script path without the leading /: the framework resolves it against a Java package and does not find it.",
		Help:    "Start the path with /.",
		Example: "{ \"connector\": { \"schema\": [ { \"script\": \"User.native.schema.groovy\" } ] } }"})
	register(&Rule{Code: "manifest-wrong-section", Severity: dsl.SevError,
		Summary: "A schema script listed as an operation or the reverse: the framework fails with MissingMethodException.",
		Help:    "Move the entry to the section that matches the script.",
		Example: `-- connector.manifest.json --
{ "connector": { "operation": [ { "script": "/User.native.schema.groovy" } ] } }
-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}`})
	register(&Rule{Code: "manifest-unlisted", Severity: dsl.SevWarning,
		Summary: "A script that the manifest (or the Java connector class that loads scripts by name) does not list: the framework never loads it.",
		Help:    "List it in the manifest (the quick fix does) or load it in the connector class, or delete it. Until it is listed, its other findings are warnings.",
		Example: `-- connector.manifest.json --
{ "connector": { "schema": [ { "script": "/User.native.schema.groovy" } ] } }
-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.update.op.groovy --
objectClass("User") {
    update {
        endpoint(PATCH, "/users/{id}") { supportedAttributes "email" }
    }
}`})
	register(&Rule{Code: "file-unreadable", Severity: dsl.SevError, check: checkUnreadable,
		Summary: "A workspace file connls could not read: no permission, an I/O error, a symbolic link that leads nowhere, a file above the size limit.",
		Help:    "Make the file readable, or fix or remove the link; connls analyses the rest of the workspace without it.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- User.connid.schema.groovy -> ../shared/User.connid.schema.groovy --
(a link to a file that does not exist)`})
	register(&Rule{Code: "scan-skipped", Severity: dsl.SevWarning, check: checkSkipped,
		Summary: "Something connls did not read while scanning the workspace: a folder it cannot read, a symbolic link loop, a second link to a folder or file already read, more files than the scan reads.",
		Help:    "Fix the folder's permissions or the link; for the limits, open a connector's folder rather than a folder far above it.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("login") { jsonType "string" }
    attribute("email") { jsonType "string" }
    attribute("createdAt") { jsonType "string"; updateable false }
}
-- scripts/up -> .. --
(a link back to the workspace root)`})
	register(&Rule{Code: "doc-error", Severity: dsl.SevError, check: checkDocs,
		Summary: "An API document that cannot be read (malformed or truncated JSON/YAML, a broken $ref).",
		Help:    "Fix the document; connls reads the rest of the workspace without it.",
		Example: "{ \"openapi\": \"3.0.0\", \"paths\": {"})
}

func checkManifests(uc *unitCheck) {
	u := uc.unit
	for _, m := range u.Manifests {
		uc.out = append(uc.out, m.Problems...)
	}
	if len(u.Manifests) > 1 {
		var paths []string
		for _, m := range u.Manifests {
			paths = append(paths, filepath.Base(m.File.Path))
		}
		for _, m := range u.Manifests {
			uc.report(dsl.Problem{Code: "manifest-multiple", Abs: m.File.Abs, Path: m.File.Path,
				Message: fmt.Sprintf("Multiple connector manifests found: %s; the framework wants exactly one", strings.Join(paths, ", "))})
		}
	}
	snap := uc.model.Snapshot
	for _, m := range u.Manifests {
		for _, e := range m.Entries {
			if !strings.HasPrefix(e.Script, "/") {
				p := uc.report(dsl.Problem{Code: "manifest-relative-path", Abs: m.File.Abs, Path: m.File.Path, Range: e.Range,
					Message: fmt.Sprintf("script path %q must start with /: the framework resolves relative paths against a Java package and does not find them", e.Script)})
				p.Fixes = []dsl.Fix{{Title: "Start the path with /", Edits: []dsl.Edit{{Abs: m.File.Abs, Range: workspace.Range{Start: insideQuote(m.File, e.Range), End: insideQuote(m.File, e.Range)}, NewText: "/"}}}}
			}
			if !scriptExists(snap, e.Abs, uc.exists) {
				p := uc.report(dsl.Problem{Code: "manifest-missing-script", Abs: m.File.Abs, Path: m.File.Path, Range: e.Range,
					Message: fmt.Sprintf("Script resource not found: %s (nor its YAML fallback)", e.Script)})
				var have []string
				for _, s := range u.Scripts {
					if name, ok := m.ScriptName(s.File.Abs); ok {
						have = append(have, name)
					}
				}
				for _, c := range dsl.Closest("/"+strings.TrimPrefix(e.Script, "/"), have, 2) {
					p.Fixes = append(p.Fixes, dsl.Fix{Title: "Change to " + c, Edits: []dsl.Edit{{Abs: m.File.Abs, Range: e.Range, NewText: quoteLike(m.File, e.Range, c)}}})
				}
				continue
			}
			if s := uc.model.Scripts[e.Abs]; s != nil && s.ContentRole != dsl.RoleUnknown && (s.ContentRole == dsl.RoleSchema) != (e.Role() == dsl.RoleSchema) {
				uc.report(dsl.Problem{Code: "manifest-wrong-section", Abs: m.File.Abs, Path: m.File.Path, Range: e.Range,
					Message: fmt.Sprintf("%s is %s script but is listed under %q: the framework fails with MissingMethodException; list it under %q",
						e.Script, article(s.ContentRole), e.Section, sectionFor(s.ContentRole))})
			}
		}
	}
	checkJavaLoads(uc)
	if len(u.Manifests) == 0 {
		return
	}
	for _, s := range u.Scripts {
		if _, ok := u.Listed[s.File.Abs]; ok || disabled(u, s.File.Abs) {
			continue
		}
		m := u.Manifests[0]
		section := sectionFor(s.Role)
		if s.ContentRole != dsl.RoleUnknown {
			section = sectionFor(s.ContentRole)
		}
		script, ok := m.ScriptName(s.File.Abs)
		if !ok {
			continue // outside the manifest's classpath: it cannot list it
		}
		p := uc.report(dsl.Problem{Code: "manifest-unlisted", Abs: s.File.Abs, Path: s.File.Path,
			Message: fmt.Sprintf("%s does not list this script, so the framework never loads it; add { \"script\": %q } to %q", m.File.Path, script, section),
			Related: []dsl.Related{{Abs: m.File.Abs, Path: m.File.Path, Message: "the manifest"}}})
		if e, ok := AddManifestEntry(m, section, script); ok {
			p.Fixes = []dsl.Fix{{Title: fmt.Sprintf("List %s in %s", script, filepath.Base(m.File.Path)), Edits: []dsl.Edit{e}}}
		}
	}
}

// checkJavaLoads checks the scripts a Java connector class loads by name
// as a manifest's entries are checked, and reports the scripts of its
// module that it does not load (when no manifest lists them either).
func checkJavaLoads(uc *unitCheck) {
	u := uc.unit
	snap := uc.model.Snapshot
	for _, jc := range u.Java {
		f := jc.File
		for _, e := range jc.Loads {
			switch {
			case !strings.HasPrefix(e.Script, "/"):
				uc.report(dsl.Problem{Code: "manifest-relative-path", Abs: f.Abs, Path: f.Path, Range: e.Range,
					Message: fmt.Sprintf("script path %q must start with /: Class.getResource resolves relative paths against the class's Java package and does not find them", e.Script)})
			case !scriptExists(snap, e.Abs, uc.exists):
				uc.report(dsl.Problem{Code: "manifest-missing-script", Abs: f.Abs, Path: f.Path, Range: e.Range,
					Message: fmt.Sprintf("Script resource not found: %s (nor its YAML fallback)", e.Script)})
			}
		}
	}
	if len(u.Java) == 0 || len(u.Manifests) > 0 {
		return
	}
	loader := u.Java[0].File
	for _, s := range u.Scripts {
		if _, ok := u.Listed[s.File.Abs]; ok {
			continue
		}
		uc.report(dsl.Problem{Code: "manifest-unlisted", Abs: s.File.Abs, Path: s.File.Path,
			Message: fmt.Sprintf("%s does not load this script, so the framework never loads it", filepath.Base(loader.Path)),
			Related: []dsl.Related{{Abs: loader.Abs, Path: loader.Path, Message: "the connector class"}}})
	}
}

func disabled(u *Unit, abs string) bool { return u.disabled[abs] }

func article(r dsl.Role) string {
	switch r {
	case dsl.RoleSchema:
		return "a schema"
	case dsl.RoleAuthorization:
		return "an authorization"
	}
	return "an operation"
}

func sectionFor(r dsl.Role) string {
	switch r {
	case dsl.RoleSchema:
		return "schema"
	case dsl.RoleAuthorization:
		return "authorization"
	}
	return "operation"
}

// scriptExists reports whether a listed script exists, or its YAML
// fallback does (X.groovy → X.yaml, X.yml).
// What is found on disk, outside the snapshot, is noted in seen (when not
// nil): an analysis carried over from the last one (see carry), and
// findings kept from it, hold while those answers are the same.
func scriptExists(snap *workspace.Snapshot, abs string, seen map[string]bool) bool {
	if exists(snap, abs, seen) {
		return true
	}
	if stem, ok := strings.CutSuffix(abs, ".groovy"); ok {
		return exists(snap, stem+".yaml", seen) || exists(snap, stem+".yml", seen)
	}
	return false
}

func exists(snap *workspace.Snapshot, abs string, seen map[string]bool) bool {
	if snap.File(abs) != nil {
		return true
	}
	ok := snap.Exists(abs)
	if seen != nil {
		seen[abs] = ok
	}
	return ok
}

// insideQuote returns the position right after an opening quote at r, or
// r's start when the value is not quoted.
func insideQuote(f *workspace.File, r workspace.Range) workspace.Pos {
	if off := f.Lines().Offset(r.Start); off < len(f.Text) && (f.Text[off] == '"' || f.Text[off] == '\'') {
		return workspace.Pos{Line: r.Start.Line, Col: r.Start.Col + 1}
	}
	return r.Start
}

// AddManifestEntry builds the edit that appends a script to a section of
// a manifest, after the section's last entry, in the manifest's format.
func AddManifestEntry(m *dsl.Manifest, section, script string) (dsl.Edit, bool) {
	var last *dsl.ManifestEntry
	want := m.ScriptPath(script)
	for _, e := range m.Entries {
		if e.Abs == want {
			return dsl.Edit{}, false // already listed: a second entry would load it twice
		}
		if e.Section == section {
			last = e
		}
	}
	if last == nil {
		return dsl.Edit{}, false
	}
	f := m.File
	l := f.Lines()
	if strings.HasSuffix(strings.ToLower(f.Path), ".json") {
		// After the closing brace of the last entry object.
		off := l.Offset(last.Range.End)
		for off < len(f.Text) && f.Text[off] != '}' {
			off++
		}
		if off >= len(f.Text) {
			return dsl.Edit{}, false
		}
		pos := l.Pos(off + 1)
		indent := IndentOf(f, last.Range.Start)
		return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: pos, End: pos}, NewText: fmt.Sprintf(",\n%s{ \"script\": %q }", indent, script)}, true
	}
	// YAML: a new "- script:" line after the last one, indented alike.
	lineText := string(f.Text[l.LineStart(last.Range.Start.Line):l.LineStart(last.Range.Start.Line+1)])
	dash := strings.Index(lineText, "-")
	if dash < 0 {
		return dsl.Edit{}, false
	}
	pos := workspace.Pos{Line: last.Range.Start.Line + 1}
	text := fmt.Sprintf("%s- script: %s\n", lineText[:dash], script)
	if pos.Line >= l.Count() || len(f.Text) > 0 && f.Text[len(f.Text)-1] != '\n' && l.LineStart(pos.Line) >= len(f.Text) {
		text = "\n" + strings.TrimSuffix(text, "\n")
		pos = l.Pos(len(f.Text))
	}
	return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: pos, End: pos}, NewText: text}, true
}

func checkDocs(uc *unitCheck) {
	// Each document is reported once, in the unit that holds it, whether
	// or not it describes that unit's connector.
	for _, f := range uc.model.docFiles(uc.unit) {
		d := uc.model.docOf(f)
		for _, dp := range d.Problems {
			line := max(dp.Line-1, 0)
			start := workspace.Pos{Line: line, Col: max(dp.Column-1, 0)}
			end := workspace.Pos{Line: line, Col: start.Col + 1}
			if line < f.Lines().Count() {
				lineEnd := f.Lines().LineStart(line + 1)
				if lineEnd > f.Lines().LineStart(line) {
					end = f.Lines().Pos(max(lineEnd-1, f.Lines().LineStart(line)))
				}
			}
			p := dsl.Problem{Code: "doc-error", Abs: f.Abs, Path: f.Path, Range: workspace.Range{Start: start, End: end},
				Message: fmt.Sprintf("%s: %s; the rest of the workspace is analysed without it", d.Format, dp.Message)}
			if strings.Contains(dp.Message, "does not resolve") {
				p.Severity = dsl.SevWarning
				p.Message = dp.Message
			}
			uc.report(p)
		}
	}
}

// checkUnreadable reports the files that could not be read at all,
// whatever their kind.
func checkUnreadable(uc *unitCheck) {
	for _, f := range uc.model.Snapshot.Files() {
		if f.Err != nil && uc.model.UnitOf(f.Abs) == uc.unit {
			uc.report(dsl.Problem{Code: "file-unreadable", Abs: f.Abs, Path: f.Path,
				Message: "connls cannot read this file: " + f.Err.Error() + "; the rest of the workspace is analysed without it"})
		}
	}
}

// checkSkipped reports what the scan did not read, in the deepest unit
// whose folder holds it (else the first unit, so nothing goes unsaid).
func checkSkipped(uc *unitCheck) {
	m := uc.model
	for _, sk := range m.Snapshot.Skipped {
		if sk.Format != "" {
			continue // a document in a format connls does not read: said by generation
		}
		var owner *Unit
		for _, u := range m.Units {
			if workspace.Within(u.Dir, sk.Abs) && (owner == nil || len(u.Dir) > len(owner.Dir)) {
				owner = u
			}
		}
		if owner == nil && len(m.Units) > 0 {
			owner = m.Units[0]
		}
		if owner != uc.unit {
			continue
		}
		rel, err := filepath.Rel(owner.Root, sk.Abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = sk.Abs
		}
		uc.report(dsl.Problem{Code: "scan-skipped", Abs: sk.Abs, Path: filepath.ToSlash(rel), Message: "not read: " + sk.Reason})
	}
}
