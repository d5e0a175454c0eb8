package analysis

import "github.com/connls/connls/analysis/dsl"

// The findings analysis/dsl's readers produce as they read a script, a
// manifest or a Java class (syntax, unknown DSL names, wrong arguments):
// registered here, beside the other families, so that the rule docs,
// SARIF, completion and the example tests know them.
func init() {
	register(&Rule{Code: "syntax", Severity: dsl.SevError,
		Summary: "Groovy syntax error: an unclosed bracket, string or comment.",
		Help:    "Close it; the framework cannot compile the script.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\" {\n        jsonType \"string\"\n    }\n}"})
	register(&Rule{Code: "unread-statement", Severity: dsl.SevWarning,
		Summary: "A statement connls could not read: the parser's error recovery took more steps than it allows (or, as information, the machine was too busy).",
		Help:    "Check the statement's brackets, quotes and operators. connls never reports it as a syntax error and holds back the findings that depend on it; a statement left unread for lack of time is read again on the next change.",
		Example: "e c){m.e.r\ns\"\"){t<<<<<<){sxxxxe\"\";e e;d{e e}}u e\"\nd e}f(e){e(\"\"){e\"\"}}e(\"\",\"\")e\"\",\"}"})
	register(&Rule{Code: "command-chain", Severity: dsl.SevError,
		Summary: "Arguments without a comma: Groovy reads `name \"a\" \"b\"` as a command chain.",
		Help:    "Insert the comma: connIdAttribute \"UID\", \"id\".",
		Example: "objectClass(\"User\") {\n    connIdAttribute \"UID\" \"id\"\n}"})
	register(&Rule{Code: "unknown-dsl", Severity: dsl.SevError,
		Summary: "A name no enclosing block of the DSL provides (the framework fails with MissingMethodException).",
		Help:    "Fix the spelling (updatable and updateable are both valid) or move the call into the block it belongs to.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") {\n        updateabel false\n    }\n}"})
	register(&Rule{Code: "wrong-value-type", Severity: dsl.SevError,
		Summary: "A literal of the wrong type, such as readable \"yes\", or a closure where none is taken.",
		Help:    "Write the type the property takes: true or false, a string, a number.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") {\n        readable \"yes\"\n    }\n}"})
	register(&Rule{Code: "wrong-arguments", Severity: dsl.SevError,
		Summary: "A DSL call with too few or too many arguments.",
		Help:    "Pass the arguments the call takes.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") {\n        readable()\n    }\n}"})
	register(&Rule{Code: "unknown-constant", Severity: dsl.SevError,
		Summary: "A constant not visible in its block (JSON_ARRAY outside a search endpoint, a misspelt PATCH).",
		Help:    "Use a constant of the block: the message lists the closest.",
		Example: `-- User.native.schema.groovy --
objectClass("User") {
    attribute("login") { jsonType "string" }
}
-- User.search.groovy --
objectClass("User") {
    search {
        endpoint("/users") {
            responseFormat JSON_ARAY
        }
    }
}`})
	register(&Rule{Code: "not-implemented", Severity: dsl.SevError,
		Summary: "A DSL method the framework declares but throws on (list {}, read {}, supportedFilter without a closure).",
		Help:    "Use what the message proposes.",
		Example: "objectClass(\"User\") {\n    list {\n    }\n}"})
	register(&Rule{Code: "response-content-type", Severity: dsl.SevError,
		Summary: "contentType in response {}, which has no such method.",
		Help:    "Remove it: responses are read as JSON.",
		Example: "objectClass(\"User\") {\n    update {\n        endpoint(PATCH, \"/users/{id}\") {\n            response { contentType APPLICATION_JSON }\n        }\n    }\n}"})
	register(&Rule{Code: "body-closure", Severity: dsl.SevError,
		Summary: "body { ... } with a closure, which throws UnsupportedOperationException.",
		Help:    "Pass a function, or body EMPTY for no body.",
		Example: "objectClass(\"User\") {\n    update {\n        endpoint(POST, \"/users/{id}/lock\") {\n            request { body { \"{}\" } }\n        }\n    }\n}"})
	register(&Rule{Code: "search-endpoint-method", Severity: dsl.SevError,
		Summary: "search { endpoint(METHOD, path) }: search endpoints take only a path.",
		Help:    "Write endpoint(path) and, if needed, httpOperation inside it.",
		Example: "objectClass(\"User\") {\n    search {\n        endpoint(GET, \"/users\")\n    }\n}"})
	register(&Rule{Code: "connid-name-string", Severity: dsl.SevWarning,
		Summary: "connId { name \"UID\" } names the attribute literally UID instead of mapping it to __UID__.",
		Help:    "Use the constant: connId { name UID }.",
		Example: "objectClass(\"User\") {\n    attribute(\"id\") {\n        connId { name \"UID\" }\n    }\n}"})
	register(&Rule{Code: "deserialize-it", Severity: dsl.SevWarning,
		Summary: "`it` inside deserialize {} is null: the value is passed as `value`.",
		Help:    "Use value.",
		Example: "objectClass(\"User\") {\n    attribute(\"x\") {\n        json { implementation { deserialize { return it.asText() } } }\n    }\n}"})
	register(&Rule{Code: "filter-equals", Severity: dsl.SevWarning,
		Summary: "attributeFilter(...).equals(v) is Object.equals, not a filter.",
		Help:    "Use .eq(v).",
		Example: "objectClass(\"Team\") {\n    search {\n        custom {\n            implementation {\n                objectClass(\"Org\").search(attributeFilter(\"member\").equals(value))\n            }\n        }\n    }\n}"})
}
