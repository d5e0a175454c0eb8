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
	KindNotScript      ScriptKind = iota
	KindNativeSchema              // X.native.schema.groovy (also X.native.edit.schema.groovy)
	KindConnIDSchema              // X.connid.schema.groovy
	KindAssociations              // associations*.schema.groovy
	KindOtherSchema               // any other *.schema.groovy
	KindSearch                    // X.search.groovy, X.*.search.groovy
	KindGet                       // X.get.groovy
	KindList                      // X.list.groovy
	KindOperation                 // X.op.groovy and other *.op.groovy
	KindCreate                    // X.create.op.groovy
	KindUpdate                    // X.update.op.groovy
	KindDelete                    // X.delete.op.groovy
	KindAuthorization             // authorization.op.groovy
	KindUnconventional            // a .groovy file that follows no convention
	KindSchemaYAML                // *.schema.yaml / *.schema.yml
	KindOpYAML                    // *.op.yaml / *.op.yml
)

var scriptKindNames = [...]string{
	KindNotScript:      "other",
	KindNativeSchema:   "native-schema",
	KindConnIDSchema:   "connid-schema",
	KindAssociations:   "associations",
	KindOtherSchema:    "schema",
	KindSearch:         "search",
	KindGet:            "get",
	KindList:           "list",
	KindOperation:      "operation",
	KindCreate:         "create",
	KindUpdate:         "update",
	KindDelete:         "delete",
	KindAuthorization:  "authorization",
	KindUnconventional: "groovy",
	KindSchemaYAML:     "schema-yaml",
	KindOpYAML:         "op-yaml",
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
	case KindNotScript, KindUnconventional:
		return RoleUnknown
	case KindAuthorization:
		return RoleAuthorization
	case KindNativeSchema, KindConnIDSchema, KindAssociations, KindOtherSchema, KindSchemaYAML:
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
		return KindAuthorization
	case strings.HasSuffix(lower, ".groovy"):
		return groovyKind(base[:len(base)-len(".groovy")])
	case strings.HasSuffix(lower, ".schema.yaml"), strings.HasSuffix(lower, ".schema.yml"):
		return KindSchemaYAML
	case strings.HasSuffix(lower, ".op.yaml"), strings.HasSuffix(lower, ".op.yml"):
		return KindOpYAML
	}
	return KindNotScript
}

func groovyKind(stem string) ScriptKind {
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
		return KindOtherSchema
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
	return KindUnconventional
}

// ClassHint returns the object class that a conventional script name
// suggests ("User" for User.native.schema.groovy), or "".
func ClassHint(name string) string {
	switch KindOf(name) {
	case KindNotScript, KindAssociations, KindAuthorization:
		return ""
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	stem, _, _ := strings.Cut(base, ".")
	return stem
}
