package analysis

import (
	"fmt"
	"strings"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// sailpoint.connector.json describes the connector for SailPoint Identity
// Security Cloud's "Create custom connector" API (POST /v3/connectors).
// connls checks it before `connls sailpoint register` sends it; this file
// is the one reader of the format, the sailpoint package the HTTP client.

// SailPointFileName is the workspace file that describes the connector.
const SailPointFileName = "sailpoint.connector.json"

// SailPointOpenConnector is the className of the openconnector standard.
const SailPointOpenConnector = "sailpoint.connector.OpenConnectorAdapter"

// SailPointStatuses are the connector statuses the API accepts.
var SailPointStatuses = []string{"DEVELOPMENT", "DEMO", "RELEASED"}

// SailPointConnector is what sailpoint.connector.json says: the fields the
// file has with the right type (the others are findings).
type SailPointConnector struct {
	Name          string
	Type          string
	ClassName     string
	DirectConnect *bool
	Status        string
	ScriptName    string
}

// sailPointFields are the fields of the file, with their JSON types.
var sailPointFields = map[string]string{
	"name": "string", "type": "string", "className": "string",
	"directConnect": "boolean", "status": "string", "scriptName": "string",
}

func init() {
	register(&Rule{Code: "sailpoint-invalid", Severity: dsl.SevError, check: checkSailPoint,
		Summary: "A sailpoint.connector.json that is not a JSON object, or a field of the wrong type.",
		Help:    "Write an object such as { \"name\": \"TicketDesk\", \"className\": \"sailpoint.connector.OpenConnectorAdapter\", \"status\": \"DEVELOPMENT\" }.",
		Example: "{ \"name\": \"TicketDesk\", \"directConnect\": \"yes\" }"})
	register(&Rule{Code: "sailpoint-missing-name", Severity: dsl.SevError,
		Summary: "A sailpoint.connector.json without a name: the tenant requires one, unique per tenant.",
		Help:    "Add \"name\".",
		Example: "{ \"className\": \"sailpoint.connector.OpenConnectorAdapter\" }"})
	register(&Rule{Code: "sailpoint-unknown-status", Severity: dsl.SevError,
		Summary: "A status the API does not accept: it takes DEVELOPMENT, DEMO or RELEASED.",
		Help:    "Use one of DEVELOPMENT, DEMO, RELEASED.",
		Example: "{ \"name\": \"TicketDesk\", \"status\": \"BETA\" }"})
	register(&Rule{Code: "sailpoint-class-name", Severity: dsl.SevWarning,
		Summary: "A className that does not fit the openconnector standard (sailpoint.connector.OpenConnectorAdapter).",
		Help:    "Use sailpoint.connector.OpenConnectorAdapter unless the tenant runs a connector class of its own.",
		Example: "{ \"name\": \"TicketDesk\", \"className\": \"com.example.MyConnector\" }"})
	register(&Rule{Code: "sailpoint-unknown-field", Severity: dsl.SevWarning,
		Summary: "A field the connector description does not have; the API ignores or rejects it.",
		Help:    "Remove it, or fix its spelling (the message names the closest field).",
		Example: "{ \"name\": \"TicketDesk\", \"stauts\": \"DEMO\" }"})
}

// SailPointFile is a read sailpoint.connector.json.
type SailPointFile struct {
	File      *workspace.File
	Problems  []dsl.Problem
	Connector SailPointConnector
}

// Err returns the file's first error, with its place, or nil: what stops
// `connls sailpoint register` from sending it.
func (sp *SailPointFile) Err() error {
	for _, p := range sp.Problems {
		if p.Severity == dsl.SevError {
			return fmt.Errorf("%s:%d:%d: %s", sp.File.Abs, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Message)
		}
	}
	return nil
}

// ReadSailPoint reads and checks a sailpoint.connector.json.
func ReadSailPoint(f *workspace.File) *SailPointFile {
	sp := &SailPointFile{File: f}
	report := func(code string, r workspace.Range, format string, args ...any) *dsl.Problem {
		sp.Problems = append(sp.Problems, dsl.Problem{Code: code, Severity: ruleByCode[code].Severity, Abs: f.Abs, Path: f.Path, Range: r,
			Message: fmt.Sprintf(format, args...)})
		return &sp.Problems[len(sp.Problems)-1]
	}
	root, perr := docs.ParseTree(f.Text, true)
	if perr != nil {
		report("sailpoint-invalid", dsl.NodeRangeAt(perr.Line, perr.Column, 1), "sailpoint.connector.json: %s", perr.Message)
		return sp
	}
	if root.Kind != yaml.MappingNode {
		report("sailpoint-invalid", dsl.NodeRange(root), "sailpoint.connector.json must be an object, not %s", docs.Describe(root))
		return sp
	}
	known := make([]string, 0, len(sailPointFields))
	for k := range sailPointFields {
		known = append(known, k)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		want, ok := sailPointFields[key.Value]
		if !ok {
			msg := fmt.Sprintf("unknown field %q", key.Value)
			p := report("sailpoint-unknown-field", dsl.NodeRange(key), "%s", msg)
			if c := dsl.Closest(key.Value, known, 1); len(c) > 0 {
				p.Message += fmt.Sprintf(": did you mean %q?", c[0])
				p.Fixes = []dsl.Fix{{Title: "Change to " + c[0], Edits: []dsl.Edit{{Abs: f.Abs, Range: insideQuotes(dsl.NodeRange(key)), NewText: c[0]}}}}
			}
			continue
		}
		if got := jsonTypeOf(val); got != want {
			report("sailpoint-invalid", dsl.NodeRange(val), "%s must be a %s, not %s", key.Value, want, docs.Describe(val))
			continue
		}
		sp.Connector.set(key.Value, val)
	}
	name := docs.Get(root, "name")
	if name == nil || strings.TrimSpace(docs.Str(name)) == "" {
		r := dsl.NodeRange(root)
		if name != nil {
			r = dsl.NodeRange(name)
		}
		report("sailpoint-missing-name", r, "the connector has no name: the tenant needs a name, unique per tenant")
	}
	if st := docs.Get(root, "status"); st != nil && jsonTypeOf(st) == "string" {
		valid := false
		for _, s := range SailPointStatuses {
			valid = valid || st.Value == s
		}
		if !valid {
			p := report("sailpoint-unknown-status", dsl.NodeRange(st), "status %q is not one the API accepts: %s", st.Value, strings.Join(SailPointStatuses, ", "))
			if c := dsl.Closest(strings.ToUpper(st.Value), SailPointStatuses, 1); len(c) > 0 {
				p.Fixes = []dsl.Fix{{Title: "Change to " + c[0], Edits: []dsl.Edit{{Abs: f.Abs, Range: insideQuotes(dsl.NodeRange(st)), NewText: c[0]}}}}
			}
		}
	}
	if cn := docs.Get(root, "className"); cn != nil && jsonTypeOf(cn) == "string" && cn.Value != SailPointOpenConnector {
		p := report("sailpoint-class-name", dsl.NodeRange(cn), "className %q does not fit the openconnector standard, whose class is %s", cn.Value, SailPointOpenConnector)
		p.Fixes = []dsl.Fix{{Title: "Change to " + SailPointOpenConnector, Edits: []dsl.Edit{{Abs: f.Abs, Range: insideQuotes(dsl.NodeRange(cn)), NewText: SailPointOpenConnector}}}}
	}
	return sp
}

// set takes one field of the right type.
func (c *SailPointConnector) set(field string, val *yaml.Node) {
	switch field {
	case "name":
		c.Name = docs.Str(val)
	case "type":
		c.Type = docs.Str(val)
	case "className":
		c.ClassName = docs.Str(val)
	case "status":
		c.Status = docs.Str(val)
	case "scriptName":
		c.ScriptName = docs.Str(val)
	case "directConnect":
		b := val.Value == "true"
		c.DirectConnect = &b
	}
}

// jsonTypeOf names the JSON type of a node of a JSON document.
func jsonTypeOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!str":
		return "string"
	case "!!bool":
		return "boolean"
	case "!!int", "!!float":
		return "number"
	case "!!null":
		return "null"
	}
	return "string"
}

// insideQuotes shrinks the range of a quoted scalar to its text.
func insideQuotes(r workspace.Range) workspace.Range {
	if r.End.Col-r.Start.Col >= 2 {
		r.Start.Col++
		r.End.Col--
	}
	return r
}

func checkSailPoint(uc *unitCheck) {
	for _, sp := range uc.unit.SailPoint {
		uc.out = append(uc.out, sp.Problems...)
	}
}
