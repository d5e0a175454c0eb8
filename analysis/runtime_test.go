package analysis

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// runtimeWorkspace is a small connector with the mistakes the logs below
// are about: a misspelt DSL name, an attribute the schema lacks, two
// search endpoints that both take the empty filter, one property
// declared twice.
var runtimeWorkspace = map[string]string{
	"User.native.schema.groovy": `objectClass("User") {
    attribute("id") {
        jsonType "integer"
        updateable false
        updateable true
    }
    attribute("login") {
        jsonType "string"
    }
    attribute("nickname") {
        jsonTyp "string"
    }
}
`,
	"User.connid.schema.groovy": `objectClass("User") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "login")
}
`,
	"User.create.op.groovy": `objectClass("User") {
    create {
        endpoint("/users") {
            supportedAttributes "login", "emial"
        }
    }
}
`,
	"User.search.groovy": `objectClass("User") {
    search {
        endpoint("/users") {
            emptyFilterSupported true
        }
        endpoint("/people") {
            emptyFilterSupported true
        }
        endpoint("/users/by-nick") {
            supportedFilter(attribute("nick").eq().anySingleValue()) {
                request.queryParameter("nick", value)
            }
        }
    }
}
`,
}

// place is a finding's file and line (from 1), for the assertions.
func place(p dsl.Problem) string {
	return path.Base(p.Path) + ":" + strconv.Itoa(p.Range.Start.Line+1)
}

func TestRuntimeProblems(t *testing.T) {
	m := loadDir(t, writeFiles(t, runtimeWorkspace))
	tests := []struct {
		name   string
		log    string
		script string
		want   []string // place, cause
		fix    string   // the repair's fix title, "" for none
	}{
		{
			name: "missing method with the script's frame",
			log: `2026-12-01 10:00:01,123 [main] ERROR (c.e.p.s.g.GroovyContext): Script failed
groovy.lang.MissingMethodException: No signature of method: com.evolveum.polygon.scimrest.groovy.RestAttributeBuilder.jsonTyp() is applicable for argument types: (String) values: [string]
	at org.codehaus.groovy.runtime.ScriptBytecodeAdapter.unwrap(ScriptBytecodeAdapter.java:70)
	at User_native_schema$_run_closure1$_closure4.doCall(User.native.schema.groovy:11)
	at User_native_schema.run(User.native.schema.groovy:1)
`,
			want: []string{"User.native.schema.groovy:11 unknown-dsl"},
			fix:  "Change to jsonType",
		},
		{
			name: "missing method without a trace",
			log:  `No signature of method: RestAttributeBuilder.jsonTyp() is applicable for argument types: (String) values: [string]`,
			want: []string{"User.native.schema.groovy:11 unknown-dsl"},
			fix:  "Change to jsonType",
		},
		{
			name: "unknown attribute, the framework's message, reported twice as a cause",
			log: `org.identityconnectors.framework.common.exceptions.ConnectorException: java.lang.IllegalArgumentException: Unknown attribute: emial
Caused by: java.lang.IllegalArgumentException: Unknown attribute: emial
	at com.evolveum.polygon.scimrest.groovy.RestCreateOperationBuilderImpl.build(RestCreateOperationBuilderImpl.java:204)
`,
			want: []string{"User.create.op.groovy:4 create-unknown-attribute"},
		},
		{
			name: "two default endpoints",
			log:  `java.lang.IllegalStateException: Multiple default endpoints are not supported`,
			want: []string{"User.search.groovy:6 multiple-default-endpoints"},
		},
		{
			name: "conflicting declarations, placed by the location the framework captured",
			log:  `java.lang.IllegalArgumentException: Multiple declarations for the same definition detected. Current value DefinitionValue[value=false, origin=DECLARED, location=User.native.schema.groovy:4] other: DefinitionValue[value=true, origin=DECLARED, location=User.native.schema.groovy:5]`,
			want: []string{"User.native.schema.groovy:4 conflicting-declaration"},
		},
		{
			name: "a NullPointerException in the search builder",
			log: `java.lang.NullPointerException: Cannot invoke "String.length()" because "path" is null
	at com.evolveum.polygon.scimrest.groovy.RestSearchOperationBuilderImpl$EndpointBuilder.build(RestSearchOperationBuilderImpl.java:140)
	at com.evolveum.polygon.scimrest.groovy.RestSearchOperationBuilderImpl.build(RestSearchOperationBuilderImpl.java:98)
`,
			want: []string{"User.search.groovy:10 filter-attribute-undeclared"},
		},
		{
			name: "a NullPointerException elsewhere names no script line",
			log: `java.lang.NullPointerException
	at com.evolveum.midpoint.provisioning.impl.ResourceManager.get(ResourceManager.java:10)
`,
		},
		{
			name:   "nothing a shape knows, about a given script",
			log:    `java.lang.IllegalStateException: something else`,
			script: "User.create.op.groovy",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.RuntimeProblems(tt.log, tt.script)
			var places []string
			for _, p := range got {
				places = append(places, place(p)+" "+p.Cause)
				if p.Code != RuntimeCode || p.Severity != dsl.SevError || !strings.HasPrefix(p.Message, "midPoint reported: ") {
					t.Errorf("finding %+v", p)
				}
			}
			if strings.Join(places, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(places, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.fix != "" {
				fix, ok := RepairFix(got[0], m.Snapshot)
				if !ok || fix.Title != tt.fix {
					t.Fatalf("repair fix %q %v, want %q (fixes %+v)", fix.Title, ok, tt.fix, got[0].Fixes)
				}
				// --fix alone does not choose between two corrections.
				if _, ok := SafeFix(got[0], m.Snapshot); ok {
					t.Errorf("the static rule's own policy applies a fix with two corrections")
				}
			}
		})
	}
}

func TestParseRuntimeErrors(t *testing.T) {
	got := ParseRuntimeErrors(`groovy.lang.MissingPropertyException: No such property: JSON_ARAY for class: RestSearchEndpointBuilder
	at User_search.run(User.search.groovy:7)
	... 12 more
Caused by: java.lang.IllegalArgumentException: No such built-in ConnID attribute: UUID
`)
	if len(got) != 2 {
		t.Fatalf("%d errors: %+v", len(got), got)
	}
	if e := got[0]; e.Kind != "missing-property" || e.Subject != "JSON_ARAY" || e.File != "User.search.groovy" || e.Line != 7 {
		t.Errorf("first: %+v", e)
	}
	if e := got[1]; e.Kind != "connid-name" || e.Subject != "UUID" || e.File != "" {
		t.Errorf("second: %+v", e)
	}
}

// TestRuntimeSearchFallback: a NullPointerException in the search of a
// script no static rule faults is placed on its search block.
func TestRuntimeSearchFallback(t *testing.T) {
	m := loadDir(t, writeFiles(t, map[string]string{
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") {\n        jsonType \"integer\"\n    }\n}\n",
		"User.search.groovy":        "objectClass(\"User\") {\n\n    search {\n        endpoint(\"/users\") {\n        }\n    }\n}\n",
	}))
	got := m.RuntimeProblems("java.lang.NullPointerException\n\tat com.evolveum.polygon.scimrest.groovy.EndpointBasedSearchBuilder.build(EndpointBasedSearchBuilder.java:88)\n", "")
	if len(got) != 1 || place(got[0]) != "User.search.groovy:3" || got[0].Cause != "" {
		t.Fatalf("findings: %+v", got)
	}
}

func BenchmarkRuntimeProblems(b *testing.B) {
	dir := b.TempDir()
	for name, text := range runtimeWorkspace {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ws, err := workspace.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	m, err := NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		b.Fatal(err)
	}
	log := strings.Repeat("groovy.lang.MissingMethodException: No signature of method: RestAttributeBuilder.jsonTyp() is applicable for argument types: (String) values: [string]\n\tat User_native_schema.run(User.native.schema.groovy:11)\njava.lang.IllegalArgumentException: Unknown attribute: emial\n", 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(m.RuntimeProblems(log, "")) == 0 {
			b.Fatal("no finding")
		}
	}
}
