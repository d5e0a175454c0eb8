package dsl

import "testing"

func TestKindOf(t *testing.T) {
	for name, want := range map[string]ScriptKind{
		"User.native.schema.groovy":         NativeSchema,
		"User.native.edit.schema.groovy":    NativeSchema,
		"User.connid.schema.groovy":         ConnIDSchema,
		"associations.new.schema.groovy":    Associations,
		"Schema.schema.groovy":              OtherSchema,
		"User.search.groovy":                Search,
		"User.team.support.search.groovy":   Search,
		"Team.custom.minimal.search.groovy": Search,
		"WorkPackage.get.groovy":            Get,
		"WorkPackage.list.groovy":           List,
		"User.op.groovy":                    Operation,
		"User.create.op.groovy":             Create,
		"User.update.op.groovy":             Update,
		"User.delete.op.groovy":             Delete,
		"authorization.op.groovy":           Authorization,
		"Authorization.op.groovy":           Authorization,
		"UserModel.groovy":                  Unconventional,
		"User.connid.schema.yaml":           SchemaYAML,
		"Account.op.yml":                    OpYAML,
		"connector.manifest.json":           NotScript,
		"docs/openapi.yaml":                 NotScript,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%s) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]Role{
		"User.connid.schema.groovy": RoleSchema,
		"User.search.groovy":        RoleOperation,
		"authorization.op.groovy":   RoleAuthorization,
		"UserModel.groovy":          RoleUnknown,
		"Account.op.yml":            RoleOperation,
	} {
		if got := KindOf(name).Role(); got != want {
			t.Errorf("KindOf(%s).Role() = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"dir/User.native.schema.groovy": "User",
		"Team.custom.search.groovy":     "Team",
		"associations.schema.groovy":    "",
		"authorization.op.groovy":       "",
		"docs/User.yaml":                "",
	} {
		if got := ClassHint(name); got != want {
			t.Errorf("ClassHint(%s) = %q, want %q", name, got, want)
		}
	}
}
