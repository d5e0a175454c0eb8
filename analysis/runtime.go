package analysis

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// RuntimeCode is the code of a finding made from an error midPoint
// reported for a script.
const RuntimeCode = "midpoint-error"

// RuntimeError is one error read from what midPoint reported: the
// message, the name it is about, and where the stack trace says it was
// raised in a script.
type RuntimeError struct {
	Message string
	Kind    string // missing-method, missing-property, unknown-attribute, ...
	Subject string // the method, property or attribute named
	File    string // a script's base name from the trace; "" when none
	Line    int    // from 1; 0 when the trace names no script line
	// Codes are the static rules that find the same mistake.
	Codes []string
}

// runtimeShape is a message midPoint passes on from Groovy or the
// framework, and the static rules that catch its cause.
type runtimeShape struct {
	kind  string
	re    *regexp.Regexp // group 1, when present, is the subject
	codes []string
	// literal: the subject is written as a string ("login"), not as a
	// name (endpoint).
	literal bool
	// why explains the message to a connector developer.
	why string
}

// runtimeShapes are the message shapes, from Groovy's runtime and from
// the framework's builders (the texts are the framework's own).
var runtimeShapes = []runtimeShape{
	{kind: "missing-method", re: regexp.MustCompile(`No signature of method: (?:[\w.$]+\.)?(\w+)\(\)`),
		codes: []string{"unknown-dsl", "wrong-arguments", "search-endpoint-method", "manifest-wrong-section", "command-chain", "body-closure"},
		why:   "the enclosing block has no such method, or not with these arguments"},
	{kind: "missing-method", re: regexp.MustCompile(`MissingMethodException.*?\b(\w+)\(\)`),
		codes: []string{"unknown-dsl", "wrong-arguments", "search-endpoint-method", "manifest-wrong-section"},
		why:   "the enclosing block has no such method"},
	{kind: "missing-property", re: regexp.MustCompile(`No such property: (\w+) for class`),
		codes: []string{"unknown-constant", "unknown-dsl"},
		why:   "the name is neither a constant nor a variable of the enclosing block"},
	{kind: "multiple-declarations", re: regexp.MustCompile(`Multiple declarations for the same definition detected`),
		codes: []string{"conflicting-declaration", "one-attribute-two-mappings", "duplicate-mapping", "readable-returned"},
		why:   "one property is declared twice with different values"},
	{kind: "multiple-default-endpoints", re: regexp.MustCompile(`Multiple default endpoints are not supported`),
		codes: []string{"multiple-default-endpoints"},
		why:   "two search endpoints both take the empty filter"},
	{kind: "unknown-attribute", re: regexp.MustCompile(`Attribute '?([^'\s]+?)'? not found in schema`), literal: true,
		codes: []string{"update-unknown-attribute", "create-unknown-attribute"},
		why:   "the operation names an attribute the schema does not declare"},
	{kind: "unknown-attribute", re: regexp.MustCompile(`Unknown attribute: ([^\s,;]+)`), literal: true,
		codes: []string{"create-unknown-attribute", "update-unknown-attribute", "filter-attribute-undeclared", "mapped-attribute-missing"},
		why:   "the script names an attribute the schema does not declare"},
	{kind: "emulated-without-resolver", re: regexp.MustCompile(`Attribute: (\S+) is emulated, but no resolver exists`), literal: true,
		codes: []string{"emulated-without-resolver"},
		why:   "an emulated attribute needs a resolver"},
	{kind: "unknown-attribute", re: regexp.MustCompile(`Attribute '?([^'\s]+?)'? not found`), literal: true,
		codes: []string{"mapped-attribute-missing", "filter-attribute-undeclared", "update-unknown-attribute"},
		why:   "the script names an attribute the schema does not declare"},
	{kind: "connid-name", re: regexp.MustCompile(`No such built-in ConnID attribute: (\S+)`), literal: true,
		codes: []string{"connid-name"},
		why:   "connIdAttribute takes UID or NAME"},
	{kind: "json-type", re: regexp.MustCompile(`Unknown json schema type: (\S+)`), literal: true,
		codes: []string{"wrong-value-type"},
		why:   "jsonType takes a JSON schema type (string, integer, number, boolean, array, object)"},
	{kind: "missing-type", re: regexp.MustCompile(`Missing ConnId type definition for attribute (\S+)`), literal: true,
		codes: []string{"wrong-value-type"},
		why:   "the attribute has no jsonType nor a ConnId type"},
	{kind: "content-type-without-body", re: regexp.MustCompile(`Content type was specified, but missing implementation of body method`),
		codes: []string{"content-type-without-body"},
		why:   "a request with a content type needs a body { } block"},
	{kind: "unsupported-filter", re: regexp.MustCompile(`Unsupported filter (.*)`),
		codes: []string{"filter-attribute-undeclared"},
		why:   "no search endpoint declares a supportedFilter for this filter"},
	{kind: "no-handler", re: regexp.MustCompile(`Cannot find handler for (\S+)`), literal: true,
		why: "the connector has no script for this object class's operation"},
	{kind: "not-implemented", re: regexp.MustCompile(`UnsupportedOperationException: Not implemented yet`),
		codes: []string{"not-implemented"},
		why:   "the framework does not implement this form (supportedFilter needs its closure)"},
	// attribute("x") in a search looks x up among the native attributes:
	// an undeclared one is a NullPointerException while the search is
	// built.
	{kind: "search-npe", re: regexp.MustCompile(`NullPointerException`),
		codes: []string{"filter-attribute-undeclared", "not-implemented", "search-endpoint-method"},
		why:   "while building the search: a filter's attribute(...) names an attribute the schema does not declare, or an endpoint misses what the builder reads"},
}

var (
	// scriptFrame is a stack frame or a location in a script:
	// "at User_search.run(User.search.groovy:12)", "location=User.search.groovy:12".
	scriptFrame = regexp.MustCompile(`([\w.$-]+\.groovy):(\d+)`)
	// frameLine is a line of a stack trace, not a message.
	frameLine = regexp.MustCompile(`^\s*(at |\.\.\. \d+ more|\.\.\. \d+ common frames)`)
	// searchFrame is a frame of the framework's search.
	searchFrame = regexp.MustCompile(`(?i)search|FilterSpecification`)
)

// ParseRuntimeErrors reads the errors out of what midPoint reported: a
// log excerpt, an error dialog's text, or one message per entry. A stack
// trace's frames belong to the message above them; "Caused by:" lines
// are messages of their own (the cause is what names the mistake).
func ParseRuntimeErrors(text string) []RuntimeError {
	var out []RuntimeError
	var inSearch []bool // the error's message or frames are the search's
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		last := len(out) - 1
		if frameLine.MatchString(line) {
			if last < 0 {
				continue
			}
			if out[last].File == "" {
				if m := scriptFrame.FindStringSubmatch(line); m != nil {
					out[last].File, out[last].Line = m[1], atoi(m[2])
				}
			}
			inSearch[last] = inSearch[last] || searchFrame.MatchString(line)
			continue
		}
		if e, ok := matchShape(line); ok {
			out = append(out, e)
			inSearch = append(inSearch, searchFrame.MatchString(line))
		}
	}
	// A NullPointerException neither in a script nor in the search is not
	// one a script's line explains.
	kept := out[:0]
	for i, e := range out {
		if e.Kind != "search-npe" || e.File != "" || inSearch[i] {
			kept = append(kept, e)
		}
	}
	return kept
}

func matchShape(line string) (RuntimeError, bool) {
	for _, s := range runtimeShapes {
		m := s.re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		e := RuntimeError{Message: strings.TrimSpace(line), Kind: s.kind, Codes: s.codes}
		if len(m) > 1 {
			e.Subject = strings.Trim(m[1], `"'.,:`)
		}
		if f := scriptFrame.FindStringSubmatch(line); f != nil {
			e.File, e.Line = f[1], atoi(f[2])
		}
		return e, true
	}
	return RuntimeError{}, false
}

func shapeOf(kind string) runtimeShape {
	for _, s := range runtimeShapes {
		if s.kind == kind {
			return s
		}
	}
	return runtimeShape{}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// RuntimeProblems maps the errors midPoint reported (text, as read from
// a log or the service's midpointErrors) to findings on the script lines
// that cause them. script, when not empty, is the script the errors are
// about (a path relative to the workspace root, or a base name); without
// it the stack trace's file names, then the names the messages mention,
// choose the script. A finding where a static rule finds the same
// mistake carries that rule's quick fixes.
func (m *Model) RuntimeProblems(text, script string) []dsl.Problem {
	static := m.Diagnostics()
	var out []dsl.Problem
	seen := map[string]bool{}
	for _, e := range ParseRuntimeErrors(text) {
		p, ok := m.placeRuntime(e, script, static)
		if !ok {
			continue
		}
		key := fmt.Sprintf("%s:%d:%s:%s", p.Abs, p.Range.Start.Line, e.Kind, e.Subject)
		if seen[key] {
			continue // the same error, reported again as the cause of another
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}

// placeRuntime finds the line an error is about.
func (m *Model) placeRuntime(e RuntimeError, script string, static []dsl.Problem) (dsl.Problem, bool) {
	files := m.runtimeFiles(e, script)
	if len(files) == 0 {
		return dsl.Problem{}, false
	}
	shape := shapeOf(e.Kind)
	msg := fmt.Sprintf("midPoint reported: %s (%s)", e.Message, shape.why)
	finding := func(f *workspace.File, r workspace.Range) dsl.Problem {
		p := dsl.Problem{Code: RuntimeCode, Severity: dsl.SevError, Abs: f.Abs, Path: f.Path, Range: r, Message: msg}
		// The static finding on the same line, of a rule that catches
		// this error's cause: its fixes are the repair.
		for _, s := range static {
			if !matchesCode(s.Code, e.Codes) {
				continue
			}
			on := covers(s.Abs, s.Range, f.Abs, r.Start.Line)
			for _, rel := range s.Related {
				// A clash is reported once, with the other place related:
				// midPoint may name either.
				on = on || covers(rel.Abs, rel.Range, f.Abs, r.Start.Line)
			}
			if on {
				p.Fixes, p.Cause = s.Fixes, s.Code
				p.Message += fmt.Sprintf("; connls's %s rule finds it too: %s", s.Code, s.Message)
				if covers(s.Abs, s.Range, f.Abs, r.Start.Line) {
					p.Range = s.Range
				}
				break
			}
		}
		return p
	}
	// The trace names the line.
	if e.Line > 0 {
		for _, f := range files {
			if sameScript(f, e.File) {
				l := f.Lines()
				line := min(e.Line-1, l.Count()-1)
				return finding(f, lineRange(f, line)), true
			}
		}
	}
	// A static finding of a rule that catches the cause, about the name
	// the message mentions.
	for _, s := range static {
		if !matchesCode(s.Code, e.Codes) {
			continue
		}
		for _, f := range files {
			if filepath.Clean(s.Abs) == filepath.Clean(f.Abs) && (e.Subject == "" || strings.Contains(rangeText(f, s.Range), e.Subject) || strings.Contains(s.Message, e.Subject)) {
				return finding(f, s.Range), true
			}
		}
	}
	// Where the script names it.
	if e.Subject != "" {
		for _, f := range files {
			if r, ok := findName(f, e.Subject, shape.literal); ok {
				return finding(f, r), true
			}
		}
	}
	if e.Kind == "search-npe" {
		for _, f := range files {
			if r, ok := findName(f, "search", false); ok && strings.Contains(f.Path, "search") {
				return finding(f, r), true
			}
		}
	}
	// The script the errors are about, at its start: the error is still
	// worth a finding when nothing places it.
	if script != "" {
		return finding(files[0], lineRange(files[0], 0)), true
	}
	return dsl.Problem{}, false
}

// runtimeFiles are the scripts an error may be about: the one given,
// else the one the trace names, else every script (search scripts first
// for an error of a search).
func (m *Model) runtimeFiles(e RuntimeError, script string) []*workspace.File {
	var all, named, search []*workspace.File
	for _, u := range m.Units {
		for _, s := range u.Scripts {
			f := m.FileOf(s)
			if script != "" {
				if f.Path == filepath.ToSlash(script) || path.Base(f.Path) == path.Base(filepath.ToSlash(script)) {
					return []*workspace.File{f}
				}
				continue
			}
			all = append(all, f)
			if e.File != "" && sameScript(f, e.File) {
				named = append(named, f)
			}
			if strings.Contains(path.Base(f.Path), "search") {
				search = append(search, f)
			}
		}
	}
	switch {
	case len(named) > 0:
		return named
	case e.Kind == "search-npe" || e.Kind == "multiple-default-endpoints" || e.Kind == "unsupported-filter":
		return append(search, all...)
	}
	return all
}

// sameScript tells whether a trace's file name is the script's: Groovy
// names a script's class after its file, and the trace may keep only the
// base name.
func sameScript(f *workspace.File, name string) bool {
	return name != "" && path.Base(f.Path) == path.Base(name)
}

// covers tells whether a range of a file spans a line of another.
func covers(abs string, r workspace.Range, file string, line int) bool {
	return filepath.Clean(abs) == filepath.Clean(file) && r.Start.Line <= line && line <= r.End.Line
}

func matchesCode(code string, codes []string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func rangeText(f *workspace.File, r workspace.Range) string {
	l := f.Lines()
	start, end := l.Offset(r.Start), l.Offset(r.End)
	if start < 0 || end > len(f.Text) || start > end {
		return ""
	}
	return string(f.Text[start:end])
}

// lineRange is a line's text without its indentation.
func lineRange(f *workspace.File, line int) workspace.Range {
	l := f.Lines()
	start := l.LineStart(line)
	end := len(f.Text)
	if line+1 < l.Count() {
		end = l.LineStart(line+1) - 1
	}
	text := string(f.Text[start:end])
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	return workspace.Range{Start: l.Pos(start + indent), End: l.Pos(strings.LastIndexFunc(text, func(r rune) bool { return r != ' ' && r != '\t' && r != '\r' }) + 1 + start)}
}

// findName finds the first use of a name in a script outside comments:
// as a word (a method, a property), or as a quoted string (an
// attribute).
func findName(f *workspace.File, name string, literal bool) (workspace.Range, bool) {
	var re *regexp.Regexp
	if literal {
		re = regexp.MustCompile(`["']` + regexp.QuoteMeta(name) + `["']`)
	} else {
		re = regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
	}
	l := f.Lines()
	for line := 0; line < l.Count(); line++ {
		start := l.LineStart(line)
		end := len(f.Text)
		if line+1 < l.Count() {
			end = l.LineStart(line + 1)
		}
		text := string(f.Text[start:end])
		if c := strings.Index(text, "//"); c >= 0 {
			text = text[:c]
		}
		if t := strings.TrimSpace(text); strings.HasPrefix(t, "*") || strings.HasPrefix(t, "/*") {
			continue
		}
		if loc := re.FindStringIndex(text); loc != nil {
			return workspace.Range{Start: l.Pos(start + loc[0]), End: l.Pos(start + loc[1])}, true
		}
	}
	return workspace.Range{}, false
}

// RepairFix returns the fix a repair from midPoint's errors applies to a
// finding. For a static finding it is the fix `connls check --fix`
// applies. For one midPoint confirmed, it is the preferred fix of the
// static rule that finds the same mistake even where that rule offers
// several corrections: the line fails as written, and the first
// correction is the closest; a rule whose fix always needs a person
// (which identifier, which value) is still left to one.
func RepairFix(p dsl.Problem, snap *workspace.Snapshot) (dsl.Fix, bool) {
	if p.Code != RuntimeCode || p.Cause == "" || len(p.Fixes) == 0 {
		return SafeFix(p, snap)
	}
	switch autoFixes[p.Cause].policy {
	case FixAlways, FixIfOnly:
		return p.Fixes[0], true
	case FixIfTypo:
		if isTypoFix(snap, p.Fixes[0]) {
			return p.Fixes[0], true
		}
	}
	return dsl.Fix{}, false
}
