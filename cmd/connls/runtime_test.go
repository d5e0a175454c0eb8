package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckRuntimeErrors: check --runtime-errors puts midPoint's errors
// on the lines that cause them, in every format's terms.
func TestCheckRuntimeErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") {\n        jsonType \"integer\"\n    }\n    attribute(\"login\") {\n        jsonTyp \"string\"\n    }\n}\n",
		"User.connid.schema.groovy": "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n",
		"midpoint.log": "groovy.lang.MissingMethodException: No signature of method: RestAttributeBuilder.jsonTyp() is applicable for argument types: (String) values: [string]\n" +
			"\tat User_native_schema.run(User.native.schema.groovy:6)\n",
		"unrelated.log": "java.lang.IllegalStateException: the resource is down\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, code := runIn(t, dir, "check", "--runtime-errors", "midpoint.log", ".")
	if code != 1 || !strings.Contains(out, "User.native.schema.groovy:6:9: error midpoint-error: midPoint reported: groovy.lang.MissingMethodException") ||
		!strings.Contains(out, `connls's unknown-dsl rule finds it too`) {
		t.Fatalf("exit %d:\n%s\n%s", code, out, stderr)
	}
	json, _, _ := runIn(t, dir, "check", "--format", "json", "--runtime-errors", "midpoint.log", ".")
	if !strings.Contains(json, `"midpoint-error"`) || !strings.Contains(json, "Change to jsonType") {
		t.Fatalf("json lacks the finding or its fix:\n%s", json)
	}
	out, stderr, _ = runIn(t, dir, "check", "--runtime-errors", "unrelated.log", ".")
	if strings.Contains(out, "midpoint-error") || !strings.Contains(stderr, "no error in unrelated.log names a script line") {
		t.Fatalf("an error no script explains:\n%s\n%s", out, stderr)
	}
	// --fix alone does not choose between jsonType and json; midPoint's
	// error confirms the line fails, and the closest name is applied.
	diff, _, _ := runIn(t, dir, "check", "--fix", "--diff", ".")
	if strings.Contains(diff, "+        jsonType") {
		t.Fatalf("--fix alone chose a correction:\n%s", diff)
	}
	diff, stderr, code = runIn(t, dir, "check", "--fix", "--diff", "--runtime-errors", "midpoint.log", ".")
	if !strings.Contains(diff, "-        jsonTyp \"string\"") || !strings.Contains(diff, "+        jsonType \"string\"") || strings.Contains(diff, "midpoint-error: midPoint reported") {
		t.Fatalf("--fix with midPoint's errors: exit %d\n%s\n%s", code, diff, stderr)
	}
	if _, stderr, code := runIn(t, dir, "check", "--runtime-errors", "missing.log", "."); code != 2 || !strings.Contains(stderr, "--runtime-errors") {
		t.Fatalf("a missing file: exit %d %s", code, stderr)
	}
}
