package analysis

import (
	"path/filepath"
	"slices"
	"sort"
	"sync"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// How the files of a workspace are grouped into units. A unit is one
// connector: the folder of a connector.manifest.*, else one folder of
// scripts. A repository such as connector-scimrest holds several
// connectors (connector/*/src/main/resources) and test workspaces
// (common/src/test/resources/*), some without a manifest; their scripts
// never meet, since the framework never loads them together.

// unitSet is the units of one analysis, by directory.
type unitSet struct {
	byDir map[string]*Unit
	// connector marks the units that hold scripts or a manifest, as
	// opposed to a workspace root that only holds documents.
	connector map[string]bool
}

func (us *unitSet) at(dir, root string) *Unit {
	u := us.byDir[dir]
	if u == nil {
		u = newUnit(dir, root)
		us.byDir[dir] = u
	}
	return u
}

// sorted returns the units in directory order.
func (us *unitSet) sorted() []*Unit {
	out := make([]*Unit, 0, len(us.byDir))
	for _, u := range us.byDir {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// groupUnits makes the units of a snapshot and assigns every file to one:
// the workspace roots, the folders of manifests and the folders of
// scripts are units; a script listed by a manifest belongs to that
// manifest's connector wherever it lies; any other file belongs to the
// deepest unit that holds it.
// Files outside the snapshot that a Java class loads are looked for on
// disk; what was found is noted in exists. It returns the unit of each
// file too (m.unitOf has their indexes in m.Units).
func (a *Analyzer) groupUnits(m *Model, files []*workspace.File, exists map[string]bool) (*unitSet, map[string]*Unit) {
	snap := m.Snapshot
	unitOf := make(map[string]*Unit, len(files))
	us := &unitSet{byDir: map[string]*Unit{}, connector: map[string]bool{}}
	for _, r := range snap.Roots {
		us.at(r, r)
	}
	for _, f := range files {
		if f.Kind != workspace.KindManifest {
			continue
		}
		man := a.manifest(f)
		m.Manifests[f.Abs] = man
		dir := filepath.Dir(f.Abs)
		u := us.at(dir, f.Root)
		u.Manifests = append(u.Manifests, man)
		us.connector[dir] = true
	}
	// A Java connector class that loads its scripts by name lists them
	// for its module's src/main/resources, as a manifest would. A class
	// none of whose scripts is in its module (a generic connector of the
	// framework, such as ReadOnlyConnector) loads from the classpath of
	// whatever bundles it, and lists nothing here.
	for _, f := range files {
		if f.Kind != workspace.KindJava {
			continue
		}
		jc := a.java(f)
		if jc == nil || !workspace.Within(f.Root, jc.Root) {
			continue
		}
		loads := slices.ContainsFunc(jc.Loads, func(e *dsl.ManifestEntry) bool { return scriptExists(snap, e.Abs, exists) })
		if !loads && !jc.Scim {
			continue
		}
		m.Java[f.Abs] = jc
		u := us.at(jc.Root, f.Root)
		u.javaScim = u.javaScim || jc.Scim
		if loads {
			u.Java = append(u.Java, jc)
		}
	}
	// What the manifests list, in directory order so that a file two
	// manifests list belongs to the same one every time.
	listedBy := make(map[string]*Unit, len(files))
	for _, u := range us.sorted() {
		n := 0
		for _, entries := range u.loadLists() {
			n += len(entries)
		}
		u.Listed = make(map[string]*dsl.ManifestEntry, n)
		for _, man := range u.Manifests {
			for _, e := range man.Entries {
				if e.Disabled {
					u.disabled[e.Abs] = true
				}
			}
		}
		for _, entries := range u.loadLists() {
			for _, e := range entries {
				if e.Disabled {
					continue
				}
				abs := listedFile(snap, e.Abs)
				if _, ok := u.Listed[abs]; !ok {
					u.Listed[abs] = e
				}
				if _, ok := listedBy[abs]; !ok {
					listedBy[abs] = u
				}
			}
		}
	}
	for _, f := range files {
		if !f.Kind.IsScript() {
			continue
		}
		u := listedBy[f.Abs]
		if u == nil {
			u = us.at(us.scriptUnitDir(f), f.Root)
		}
		us.connector[u.Dir] = true
		unitOf[f.Abs] = u
	}
	for _, f := range files {
		if f.Kind.IsScript() {
			continue
		}
		u := us.deepest(f.Abs, f.Root)
		unitOf[f.Abs] = u
		if f.Kind == workspace.KindSailPoint {
			u.SailPoint = append(u.SailPoint, ReadSailPoint(f))
		}
	}
	m.Units = us.sorted()
	index := make(map[*Unit]int, len(m.Units))
	for i, u := range m.Units {
		index[u] = i
	}
	m.unitOf = make(map[string]int, len(unitOf))
	for abs, u := range unitOf {
		m.unitOf[abs] = index[u]
	}
	return us, unitOf
}

// loadLists returns the lists of scripts the framework loads for a unit:
// its manifests' entries, and what its Java connector classes load.
func (u *Unit) loadLists() [][]*dsl.ManifestEntry {
	var out [][]*dsl.ManifestEntry
	for _, man := range u.Manifests {
		out = append(out, man.Entries)
	}
	for _, jc := range u.Java {
		out = append(out, jc.Loads)
	}
	return out
}

// loads reports whether the unit says which scripts the framework loads:
// it has a manifest or a Java class that loads scripts by name.
// It is asked for every script after every edit, so it counts what
// loadLists would return instead of building it.
func (u *Unit) loads() bool { return len(u.Manifests)+len(u.Java) > 0 }

// withUnloaded returns a copy of the unit whose classes are built from
// every script, the unloaded ones too, or nil when it loads them all:
// what the unit would be if its unlisted scripts were listed. Its
// classes come from memos where their plans are the same (the unit's own
// classes, which an unloaded script does not touch, and those of the
// last such copy), so that after an edit only the classes it touches
// are merged and checked again. It returns what the copy's build made.
func (u *Unit) withUnloaded(own, last *builtUnit) (*Unit, *builtUnit) {
	if !u.loads() {
		return nil, nil
	}
	if u.unloaded == 0 {
		u.unloaded = 1
		if slices.ContainsFunc(u.Scripts, func(s *dsl.Script) bool { return !u.loaded(s) }) {
			u.unloaded = 2
		}
	}
	if u.unloaded != 2 {
		return nil, nil
	}
	w := *u
	w.whatIf = true
	w.Classes, w.byName, w.in = nil, nil, nil
	w.paths = sync.OnceValue(w.pathStyle)
	return &w, w.build(last, own)
}

// loaded reports whether the framework loads a script of the unit: every
// script when nothing lists them (a folder of scripts), else the listed
// ones that are not disabled.
func (u *Unit) loaded(s *dsl.Script) bool {
	if u.whatIf || !u.loads() {
		return true
	}
	_, listed := u.Listed[s.File.Abs]
	return listed && !disabled(u, s.File.Abs)
}

// scriptUnitDir returns the folder of the connector a script that no
// manifest lists belongs to: the nearest folder above it with a manifest
// (the script is then unlisted), else the src/main/resources folder that
// holds it (a classpath root, which a Java connector loads from), else
// its own folder (a test workspace, or a plain folder of scripts).
func (us *unitSet) scriptUnitDir(f *workspace.File) string {
	dir := filepath.Dir(f.Abs)
	for d := dir; workspace.Within(f.Root, d); d = filepath.Dir(d) {
		if u := us.byDir[d]; u != nil && len(u.Manifests) > 0 {
			return d
		}
		if d == f.Root || d == filepath.Dir(d) {
			break
		}
	}
	if r := dsl.ResourcesRoot(dir); r != "" && filepath.Base(filepath.Dir(r)) == "main" && workspace.Within(f.Root, r) {
		return r
	}
	return dir
}

// deepest returns the deepest unit whose folder holds abs.
func (us *unitSet) deepest(abs, root string) *Unit {
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if u := us.byDir[dir]; u != nil {
			return u
		}
		if dir == root || dir == filepath.Dir(dir) {
			return us.byDir[root]
		}
	}
}

// docScope returns the units a document describes. Walking up from the
// document's folder, the first folder that is a connector, or that holds
// connectors, decides: a document beside the scripts, in a docs/ folder
// next to them or in the module around src/main/resources describes
// that connector. A document in a test-resources folder next to other
// test workspaces describes none of them. A document no connector is
// near (a workspace of documents only) belongs to the unit that holds it.
func (us *unitSet) docScope(abs string, home *Unit) []*Unit {
	root := home.Root
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if us.connector[d] {
			return []*Unit{us.byDir[d]}
		}
		inside := us.connectorsWithin(d, root)
		if len(inside) > 0 {
			if dsl.IsResourcesRoot(d) {
				return nil // beside other test workspaces
			}
			return inside
		}
		if d == root || d == filepath.Dir(d) {
			return []*Unit{home}
		}
	}
}

func (us *unitSet) connectorsWithin(dir, root string) []*Unit {
	var out []*Unit
	for d, ok := range us.connector {
		if u := us.byDir[d]; ok && u.Root == root && workspace.Within(dir, d) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// attachDocs gives every unit the documents that describe it: those a
// connls.yaml lists go to its connector, the others by where they lie.
func (m *Model) attachDocs(us *unitSet, unitOf map[string]*Unit) {
	type config struct {
		unit     *Unit
		patterns []string
	}
	var configs []config
	for _, f := range m.Snapshot.Files() {
		if f.Kind != workspace.KindConfig {
			continue
		}
		if u := us.configUnit(filepath.Dir(f.Abs), f.Root); u != nil {
			configs = append(configs, config{u, workspace.ConfigDocs(f.Abs, f.Text)})
		}
	}
	for _, f := range m.Snapshot.Files() {
		d := m.Docs[f.Abs]
		home := unitOf[f.Abs]
		if d == nil || home == nil {
			continue
		}
		home.heldDocs = append(home.heldDocs, f)
		scope := us.docScope(f.Abs, home)
		for _, c := range configs {
			if workspace.MatchConfig(c.patterns, f.Abs) {
				scope = []*Unit{c.unit}
			}
		}
		for _, u := range scope {
			u.Docs = append(u.Docs, d)
			u.DocFiles[d] = f
		}
	}
}

// docFiles returns the documents a unit holds (as opposed to those that
// describe it from elsewhere), in path order, for reporting their errors.
func (m *Model) docFiles(u *Unit) []*workspace.File { return u.heldDocs }

// docOf returns the reading of a document file.
func (m *Model) docOf(f *workspace.File) *docs.Doc { return m.Docs[f.Abs] }

// Module returns the folder of the Maven module a unit is the resources
// of (connector/forgejo for connector/forgejo/src/main/resources), else
// the unit's own folder: where the connector's documents are looked for.
func (u *Unit) Module() string {
	if dsl.IsResourcesRoot(u.Dir) && filepath.Base(filepath.Dir(u.Dir)) == "main" {
		return filepath.Dir(filepath.Dir(filepath.Dir(u.Dir)))
	}
	return u.Dir
}

// Name is what a user calls a connector on the command line: the name of
// its module's folder (forgejo), or of its own.
func (u *Unit) Name() string { return filepath.Base(u.Module()) }

// IsConnector reports whether the unit holds a connector's scripts or
// manifest, as opposed to documents alone.
func (u *Unit) IsConnector() bool {
	return len(u.Scripts) > 0 || len(u.Manifests) > 0 || len(u.Java) > 0
}

// configUnit returns the connector a connls.yaml in dir speaks for: the
// one whose module or folder dir is (a resources folder's module keeps
// its connls.yaml beside pom.xml), else the only one under dir.
func (us *unitSet) configUnit(dir, root string) *Unit {
	for d, ok := range us.connector {
		if u := us.byDir[d]; ok && (u.Dir == dir || u.Module() == dir) {
			return u
		}
	}
	if inside := us.connectorsWithin(dir, root); len(inside) == 1 {
		return inside[0]
	}
	return nil
}
