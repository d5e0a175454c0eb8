package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

// connectors returns the units of a model that are connectors (scripts
// or a manifest), in folder order.
func connectors(m *analysis.Model) []*analysis.Unit {
	var out []*analysis.Unit
	for _, u := range m.Units {
		if u.IsConnector() {
			out = append(out, u)
		}
	}
	return out
}

// connectorList names connectors for a message: "forgejo
// (connector/forgejo/src/main/resources), ...".
func connectorList(m *analysis.Model, us []*analysis.Unit) string {
	var names []string
	for _, u := range us {
		names = append(names, fmt.Sprintf("%s (%s)", u.Name(), displayPath(u.Dir)))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// pickConnector resolves --connector NAME|DIR: the name of a connector's
// module folder, or its module or resources folder (relative to the
// current folder or to the workspace). An empty choice is fine when the
// workspace has one connector, or when want (a class name) is in only
// one; else the error lists the connectors to choose from.
func pickConnector(m *analysis.Model, choice, class string) (*analysis.Unit, error) {
	all := connectors(m)
	if choice == "" {
		var with []*analysis.Unit
		for _, u := range all {
			if class != "" && (u.Class(class) != nil || u.ClassFold(class) != nil) {
				with = append(with, u)
			}
		}
		if len(with) > 1 {
			return nil, fmt.Errorf("%s is in %d connectors here: %s; choose one with --connector NAME|DIR", class, len(with), connectorList(m, with))
		}
		return nil, nil // the generation finds the class, or says which there are
	}
	abs, _ := filepath.Abs(choice)
	for _, u := range all {
		if u.Name() == choice || abs == u.Dir || abs == u.Module() {
			return u, nil
		}
		for _, r := range m.Snapshot.Roots {
			if p := filepath.Join(r, choice); workspace.Within(r, p) && (p == u.Dir || p == u.Module()) {
				return u, nil
			}
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no connector %q: the workspace has no connector", choice)
	}
	return nil, fmt.Errorf("no connector %q here; the connectors are %s", choice, connectorList(m, all))
}
