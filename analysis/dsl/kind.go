package dsl

import (
	"path"
	"strings"
)

// ScriptKind is what a script's name says it is, by the framework's
// naming convention. The convention is only a hint: the framework decides
// a script's role from the manifest section that lists it, so the reader
// may overrule the role a kind suggests (dsl.md §1.1).
type ScriptKind int

const (
	NotScript      ScriptKind = iota
	NativeSchema              // X.native.schema.groovy (also X.native.edit.schema.groovy)
	ConnIDSchema              // X.connid.schema.groovy
	Associations              // associations*.schema.groovy
	OtherSchema               // any other *.schema.groovy
	Search                    // X.search.groovy, X.*.search.groovy
	Get                       // X.get.groovy
	List                      // X.list.groovy
	Operation                 // X.op.groovy and other *.op.groovy
	Create                    // X.create.op.groovy
	Update                    // X.update.op.groovy
	Delete                    // X.delete.op.groovy
	Authorization             // authorization.op.groovy
	Unconventional            // a .groovy file that follows no convention
	SchemaYAML                // *.schema.yaml / *.schema.yml
	OpYAML                    // *.op.yaml / *.op.yml
)

var scriptKindNames = [...]string{
	NotScript:      "other",
	NativeSchema:   "native-schema",
	ConnIDSchema:   "connid-schema",
	Associations:   "associations",
	OtherSchema:    "schema",
	Search:         "search",
	Get:            "get",
	List:           "list",
	Operation:      "operation",
	Create:         "create",
	Update:         "update",
	Delete:         "delete",
	Authorization:  "authorization",
	Unconventional: "groovy",
	SchemaYAML:     "schema-yaml",
	OpYAML:         "op-yaml",
}

func (k ScriptKind) String() string {
	if int(k) < len(scriptKindNames) {
		return scriptKindNames[k]
	}
	return "other"
}

// Role returns the role a script's name suggests: RoleUnknown for a name
// that follows no convention.
func (k ScriptKind) Role() Role {
	switch k {
	case NotScript, Unconventional:
		return RoleUnknown
	case Authorization:
		return RoleAuthorization
	case NativeSchema, ConnIDSchema, Associations, OtherSchema, SchemaYAML:
		return RoleSchema
	}
	return RoleOperation
}

// KindOf judges a script's kind from its file name.
func KindOf(name string) ScriptKind {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	lower := strings.ToLower(base)
	switch {
	case lower == "authorization.op.groovy":
		return Authorization
	case strings.HasSuffix(lower, ".groovy"):
		return groovyKind(base[:len(base)-len(".groovy")])
	case strings.HasSuffix(lower, ".schema.yaml"), strings.HasSuffix(lower, ".schema.yml"):
		return SchemaYAML
	case strings.HasSuffix(lower, ".op.yaml"), strings.HasSuffix(lower, ".op.yml"):
		return OpYAML
	}
	return NotScript
}

func groovyKind(stem string) ScriptKind {
	parts := strings.Split(stem, ".")
	last := parts[len(parts)-1]
	switch {
	case len(parts) >= 2 && last == "schema":
		switch {
		case strings.HasPrefix(parts[0], "associations"):
			return Associations
		case len(parts) >= 3 && parts[1] == "native":
			return NativeSchema
		case len(parts) >= 3 && parts[len(parts)-2] == "connid":
			return ConnIDSchema
		}
		return OtherSchema
	case len(parts) >= 2 && last == "search":
		return Search
	case len(parts) == 2 && last == "get":
		return Get
	case len(parts) == 2 && last == "list":
		return List
	case len(parts) >= 2 && last == "op":
		if len(parts) >= 3 {
			switch parts[len(parts)-2] {
			case "create":
				return Create
			case "update":
				return Update
			case "delete":
				return Delete
			}
		}
		return Operation
	}
	return Unconventional
}

// ClassHint returns the object class that a conventional script name
// suggests ("User" for User.native.schema.groovy), or "".
func ClassHint(name string) string {
	switch KindOf(name) {
	case NotScript, Associations, Authorization:
		return ""
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	stem, _, _ := strings.Cut(base, ".")
	return stem
}
