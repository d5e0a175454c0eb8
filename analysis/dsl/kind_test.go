package dsl

import "testing"

func TestKindOf(t *testing.T) {
	for name, want := range map[string]ScriptKind{
		"User.native.schema.groovy":         KindNativeSchema,
		"User.native.edit.schema.groovy":    KindNativeSchema,
		"User.connid.schema.groovy":         KindConnIDSchema,
		"associations.new.schema.groovy":    KindAssociations,
		"Schema.schema.groovy":              KindOtherSchema,
		"User.search.groovy":                KindSearch,
		"User.team.support.search.groovy":   KindSearch,
		"Team.custom.minimal.search.groovy": KindSearch,
		"WorkPackage.get.groovy":            KindGet,
		"WorkPackage.list.groovy":           KindList,
		"User.op.groovy":                    KindOperation,
		"User.create.op.groovy":             KindCreate,
		"User.update.op.groovy":             KindUpdate,
		"User.delete.op.groovy":             KindDelete,
		"authorization.op.groovy":           KindAuthorization,
		"Authorization.op.groovy":           KindAuthorization,
		"UserModel.groovy":                  KindUnconventional,
		"User.connid.schema.yaml":           KindSchemaYAML,
		"Account.op.yml":                    KindOpYAML,
		// Extensions ignore case, the parts of a Groovy name do not.
		"User.SEARCH.GROOVY":      KindUnconventional,
		"U.Schema.YAML":           KindSchemaYAML,
		"connector.manifest.json": KindNotScript,
		"docs/openapi.yaml":       KindNotScript,
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
