package docs

import (
	"regexp"
	"strings"
	"unicode"
)

// What HTML and Markdown pages share: tables of fields under headings
// that name a resource, and lines such as "PATCH /users/{id}". The
// readers are conservative: a table counts only when one column names
// fields and another gives their types, and only under a heading that
// names one class.

// pageTable is a table of a page, its header cells and rows of cells.
type pageTable struct {
	line    int
	heading string // the nearest heading before the table
	header  []string
	rows    []pageRow
}

type pageRow struct {
	line  int
	cells []string
}

var (
	nameHeaders     = []string{"field", "name", "attribute", "property", "parameter", "key", "column"}
	typeHeaders     = []string{"type", "data type", "datatype", "format"}
	requiredHeaders = []string{"required", "mandatory", "optional"}
	descHeaders     = []string{"description", "notes", "comment", "meaning", "details"}
)

func findColumn(header []string, names []string) int {
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, n := range names {
			if h == n || strings.HasPrefix(h, n+" ") || strings.HasSuffix(h, " "+n) {
				return i
			}
		}
	}
	return -1
}

var identRe = regexp.MustCompile(`^[A-Za-z_$][\w.$-]*$`)

// knownTypes are the type words a fields table uses.
var knownTypes = map[string]string{
	"string": "string", "text": "string", "str": "string", "uuid": "string", "email": "string", "uri": "string", "url": "string",
	"date": "string", "datetime": "string", "date-time": "string", "timestamp": "string", "enum": "string",
	"integer": "integer", "int": "integer", "int32": "integer", "int64": "integer", "long": "integer", "number": "number",
	"float": "number", "double": "number", "decimal": "number", "boolean": "boolean", "bool": "boolean",
	"object": "object", "array": "array", "list": "array", "binary": "string",
}

var typeFormats = map[string]string{
	"uuid": "uuid", "email": "email", "uri": "uri", "url": "uri", "date": "date", "datetime": "date-time",
	"date-time": "date-time", "timestamp": "date-time", "int32": "int32", "int64": "int64", "long": "int64",
	"float": "float", "double": "double", "binary": "binary",
}

// tableClass turns a fields table under a heading that names a class
// into that class, or returns nil when the table is not one: without
// endpoints around it, a table describes an object only with a column of
// names and one of types.
func tableClass(t pageTable) *Class {
	nameCol, typeCol := findColumn(t.header, nameHeaders), findColumn(t.header, typeHeaders)
	if nameCol < 0 || typeCol < 0 || nameCol == typeCol {
		return nil
	}
	name := headingClass(t.heading)
	if name == "" {
		return nil
	}
	c := &Class{Name: name, Line: t.line, Attributes: tableAttributes(t, nil)}
	if len(c.Attributes) == 0 {
		return nil
	}
	return c
}

// tableAttributes reads the rows of a fields table, but those that name a
// path placeholder. Without a type column, the description tells the
// type ("true or false"), else it is a string.
func tableAttributes(t pageTable, skip map[string]bool) []*Attribute {
	nameCol, typeCol := findColumn(t.header, nameHeaders), findColumn(t.header, typeHeaders)
	if nameCol < 0 || nameCol == typeCol {
		return nil
	}
	reqCol, descCol := findColumn(t.header, requiredHeaders), findColumn(t.header, descHeaders)
	optionalHeader := reqCol >= 0 && strings.EqualFold(strings.TrimSpace(t.header[reqCol]), "optional")
	var out []*Attribute
	for _, r := range t.rows {
		if nameCol >= len(r.cells) {
			continue
		}
		field := strings.Trim(strings.TrimSpace(r.cells[nameCol]), "`*_")
		if !identRe.MatchString(field) || skip[field] {
			continue
		}
		a := &Attribute{Name: field, Line: r.line}
		if descCol >= 0 && descCol < len(r.cells) {
			a.Description = strings.TrimSpace(r.cells[descCol])
		}
		if typeCol >= 0 && typeCol < len(r.cells) {
			typeInto(a, r.cells[typeCol])
		} else {
			a.Type = typeFromText(a.Description)
		}
		if reqCol >= 0 && reqCol < len(r.cells) {
			v := yes(r.cells[reqCol])
			if optionalHeader {
				v = !v
			}
			a.Required = v
		}
		flagsFromText(a, a.Description)
		out = append(out, a)
	}
	return out
}

// typeInto sets an attribute's type from a type cell: "string",
// "array<string>", "User".
func typeInto(a *Attribute, cell string) {
	base := strings.ToLower(strings.Trim(strings.TrimSpace(cell), "`*_"))
	if strings.HasPrefix(base, "array") || strings.HasSuffix(base, "[]") || strings.HasPrefix(base, "list") {
		a.MultiValued = true
		base = strings.TrimSuffix(base, "[]")
		if i := strings.IndexAny(base, "<(["); i >= 0 {
			base = strings.Trim(base[i+1:], "<>()[] ")
		} else if base == "array" || base == "list" {
			base = ""
		}
	}
	if typ, ok := knownTypes[base]; ok {
		a.Type, a.Format = typ, typeFormats[base]
	} else if base != "" {
		a.Type = "object"
		a.Ref = strings.TrimSpace(cell)
	}
}

var (
	booleanTextRe = regexp.MustCompile(`(?i)\btrue or false\b|\b(?:true|false) \(default\)|^(?:flags?|whether|if true)\b`)
	integerTextRe = regexp.MustCompile(`(?i)^(?:number of|the number of|id of)\b|\binteger\b`)
)

// typeFromText guesses a field's type from its description.
func typeFromText(desc string) string {
	switch {
	case booleanTextRe.MatchString(desc):
		return "boolean"
	case integerTextRe.MatchString(desc):
		return "integer"
	}
	return "string"
}

func yes(s string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), "`*_.")) {
	case "yes", "y", "true", "required", "mandatory", "x", "✓", "✔", "*":
		return true
	}
	return false
}

var (
	readOnlyRe  = regexp.MustCompile(`(?i)\bread[- ]?only\b|\bassigned by\b|\bgenerated by\b|\bset by the (?:server|system)\b`)
	writeOnlyRe = regexp.MustCompile(`(?i)\bwrite[- ]?only\b|\bnever returned\b`)
)

func flagsFromText(a *Attribute, text string) {
	immutable, selfOnly := writeLimits(text)
	switch {
	case readOnlyRe.MatchString(text):
		a.ReadOnly = true
	case immutable:
		a.Immutable = true
	case selfOnly:
		a.NoUpdate = true
	}
	if writeOnlyRe.MatchString(text) {
		a.WriteOnly = true
	}
}

var (
	createOnlyRe = regexp.MustCompile(`\bonly (?:be )?(?:set|specified|provided|given|written) (?:on|at|during|when|upon) creat|\bonly (?:on|at|during|when|upon|for) creat|\bset only on create`)
	selfOnlyRe   = regexp.MustCompile(`\bonly (?:by |for )?the (?:user|account owner|owner) (?:themsel(?:f|ves)|himself|herself|itself)\b|\bself[- ]service only\b|\bonly (?:be )?(?:changed|updated|set) by the (?:user|owner) themsel`)
)

// hasFold reports whether text has a word in lower or upper case, or
// capitalized; strings.Contains is much faster than folding the text.
func hasFold(text string, w foldWord) bool {
	return strings.Contains(text, w.lower) || strings.Contains(text, w.title) || strings.Contains(text, w.upper)
}

type foldWord struct{ lower, title, upper string }

func fold(w string) foldWord { return foldWord{w, strings.ToUpper(w[:1]) + w[1:], strings.ToUpper(w)} }

var (
	foldOnly, foldCreat, foldSelf = fold("only"), fold("creat"), fold("self")
	foldThemsel, foldImmutable    = fold("themsel"), fold("immutable")
	foldNotBe                     = fold("not be")
)

// writeLimits reads what a description says about when a value may be
// written: only on creation ("immutable", "can only be set on creation",
// "cannot be changed"), or only by the user themself ("self-service
// only"), which the connector's account cannot do. The words the phrases
// need are looked up first; most descriptions stop there.
func writeLimits(text string) (immutable, selfOnly bool) {
	only := hasFold(text, foldOnly)
	creat := only && hasFold(text, foldCreat)
	self := only && (hasFold(text, foldSelf) || hasFold(text, foldThemsel))
	if !creat && !self && !hasFold(text, foldImmutable) && !hasFold(text, foldNotBe) {
		return false, false
	}
	l := strings.ToLower(text)
	for _, p := range []string{"immutable", "cannot be changed", "can not be changed", "cannot be updated", "can not be updated",
		"cannot be modified", "create-only", "creation-only", "creation only"} {
		if strings.Contains(l, p) {
			return true, false
		}
	}
	if creat && createOnlyRe.MatchString(l) {
		return true, false
	}
	if self && selfOnlyRe.MatchString(l) {
		return false, true
	}
	return false, false
}

// fillerWords are dropped from a heading before it may name a class.
var fillerWords = map[string]bool{
	"the": true, "a": true, "an": true, "object": true, "objects": true, "resource": true, "resources": true,
	"model": true, "schema": true, "attributes": true, "fields": true, "properties": true, "entity": true,
	"representation": true, "type": true, "api": true, "of": true,
}

// headingClass returns the class a heading names ("Badge", "The User
// object", "Users"), or "" when it does not name exactly one.
func headingClass(h string) string {
	var words []string
	for _, w := range strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
		if !fillerWords[strings.ToLower(w)] {
			words = append(words, w)
		}
	}
	if len(words) != 1 {
		return ""
	}
	w := singular(words[0])
	r := []rune(w)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
