package analysis

import (
	"context"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/analysis/groovy"
	"github.com/connls/connls/workspace"
)

// Progress reports long work: a stage, a message and, where the work is
// counted, how much of it is done. The LSP turns it into workDone
// progress, the CLI into a progress bar, the API into job records.
type Progress func(stage, message string, done, total int)

// Analyzer builds models from snapshots and caches what it read by
// content, so an unchanged file is never read twice. It is safe for
// concurrent use.
type Analyzer struct {
	mu        sync.Mutex
	scripts   map[scriptKey]*dsl.Script
	docs      map[docKey]*docReading
	manifests map[docKey]*dsl.Manifest
	javas     map[docKey]*dsl.JavaConnector // nil for a Java file that is no connector's
	tracked   map[string]*tracked           // open documents, parsed incrementally
	// classes are the classes of the last analysis, by unit directory,
	// with the plans they were built from; findings their per-class
	// findings.
	classes  map[string]*builtUnit
	asListed map[string]*builtUnit // the same for Unit.asListed
	findings *findingsCache
	aside    *asideReader // large documents, read off the analysis
	// last is what the last analysis saw and made, for the next one to
	// start from (see carry); gen numbers the generations of unit rule
	// inputs (see Model.gen).
	last *lastAnalysis
	gen  uint64
	// forgot are the files of the snapshot Forget last kept the readings
	// of, and read the scripts read since: only those and the files that
	// changed since can have readings to forget.
	forgot    []*workspace.File
	readSince []string
}

// forgetAll is how many scripts read or changed since Forget last ran
// make it look at every reading instead: a few after an edit, all after a
// first analysis. readSince is kept no longer than that, so callers that
// never call Forget (check, inspect, the API's jobs) do not grow it.
const forgetAll = 16

// lastAnalysis is a snapshot's files as an analysis saw them and the
// model it made of them.
type lastAnalysis struct {
	files []*workspace.File // of model.Snapshot, as it saw them
	// docFiles are the documents and docs what reading each gave (nil
	// included): a reading depends on other files too.
	docFiles []*workspace.File
	docs     []*docs.Doc
	// exists are the answers of Snapshot.Exists for files outside the
	// snapshot that grouping asked about (a script a Java class loads).
	exists map[string]bool
	// unkept are the scripts whose readings ran out of time: the next
	// analysis reads them again.
	unkept []*workspace.File
	model  *Model
}

// tracked is the incremental parser of one open document.
type tracked struct {
	mu   sync.Mutex
	inc  groovy.Incremental
	memo dsl.ReadMemo
}

type scriptKey struct {
	abs  string
	hash workspace.Hash
	role dsl.Role
}

type docKey struct {
	abs  string
	hash workspace.Hash
}

// NewAnalyzer returns an analyzer with empty caches.
func NewAnalyzer() *Analyzer {
	return &Analyzer{scripts: map[scriptKey]*dsl.Script{}, docs: map[docKey]*docReading{}, manifests: map[docKey]*dsl.Manifest{}, javas: map[docKey]*dsl.JavaConnector{}, tracked: map[string]*tracked{}}
}

// Track parses a file incrementally from now on: an editor has it open
// and each edit re-parses only the statements it touches.
func (a *Analyzer) Track(abs string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tracked[abs] == nil {
		a.tracked[abs] = &tracked{}
	}
}

// Untrack stops incremental parsing of a file and frees its parser.
func (a *Analyzer) Untrack(abs string) {
	a.mu.Lock()
	t := a.tracked[abs]
	delete(a.tracked, abs)
	a.mu.Unlock()
	if t != nil {
		t.mu.Lock()
		t.inc.Close()
		t.mu.Unlock()
	}
}

// Model is the analysed workspace: one unit per connector.
type Model struct {
	Snapshot  *workspace.Snapshot
	findings  *findingsCache
	Units     []*Unit
	Scripts   map[string]*dsl.Script // by absolute path
	Docs      map[string]*docs.Doc
	Manifests map[string]*dsl.Manifest
	Java      map[string]*dsl.JavaConnector // Java sources that load scripts or configure SCIM
	// unitOf is the index in Units of the unit that holds each file. It
	// is shared by the models carried over from one another (see carry),
	// whose units are new but in the same order.
	unitOf map[string]int
	// gen names the inputs of the unit rules over files (Rule.check):
	// two models with the same gen have the same files but for scripts
	// whose texts changed in ways those rules do not read, so their
	// findings are the same (see findingsCache.files).
	gen uint64
}

// Unit is one connector: the files under a directory that holds a
// manifest (or a workspace root), with its classes.
type Unit struct {
	Dir       string // absolute
	Root      string // the workspace root it belongs to
	Manifests []*dsl.Manifest
	// Java are the Java connector classes of the module that load its
	// scripts by name, in place of a manifest.
	Java []*dsl.JavaConnector
	// javaScim is set when the module's Java configures a SCIM server.
	javaScim bool
	// heldDocs are the documents in the unit's folder (and not a deeper
	// unit's), whichever connector they describe.
	heldDocs  []*workspace.File
	SailPoint []*SailPointFile
	Scripts   []*dsl.Script // in load order: manifest order, then path order
	Docs      []*docs.Doc
	DocFiles  map[*docs.Doc]*workspace.File
	Classes   []*Class
	byName    map[string]*Class
	Listed    map[string]*dsl.ManifestEntry // absolute path → the entry that lists it
	// disabled holds the scripts a manifest entry disables, by absolute
	// path: looked up for every script of the unit after every edit.
	disabled map[string]bool
	// whatIf marks a copy of a unit built with its unloaded scripts, to
	// check them as if they were listed (see withUnloaded).
	whatIf bool
	// asListed is the unit as if its unloaded scripts were listed (see
	// withUnloaded), or nil when it loads them all.
	asListed *Unit
	// paths is how the unit's scripts write their paths, learnt once:
	// a unit does not change once built (see ScriptPath).
	paths func() pathStyle
	// in, when set, are the inputs of the unit's plan, carried over from
	// the last analysis (see carry): computing them asks for every
	// script whether it is listed.
	in *planInputs
	// unloaded is 2 when the framework does not load some of the unit's
	// scripts, 1 when it loads them all, 0 before withUnloaded knows.
	unloaded int8
	// The fields above are set while grouping, and shared by the units a
	// later analysis carries over (see carried), except those that
	// building the classes sets: Classes, byName, asListed, paths, in.
}

// FileOf returns the current version of a script's file. Blocks reused
// from an earlier reading of an open document (see dsl.ReadMemo) keep that
// reading's Script, whose File is an older version of the text: the
// block's own text and position are the same, the rest may not be.
func (m *Model) FileOf(s *dsl.Script) *workspace.File {
	if f := m.Snapshot.File(s.File.Abs); f != nil {
		return f
	}
	return s.File
}

// UnitOf returns the unit that holds a file.
func (m *Model) UnitOf(abs string) *Unit {
	i, ok := m.unitOf[abs]
	if !ok {
		i, ok = m.unitOf[filepath.Clean(abs)]
	}
	if !ok {
		return nil
	}
	return m.Units[i]
}

// Class returns the class of a unit by exact name, or nil.
func (u *Unit) Class(name string) *Class { return u.byName[name] }

// ClassFold returns the class whose name matches ignoring case, as
// operation scripts match schema classes (dsl.md §1.3).
func (u *Unit) ClassFold(name string) *Class {
	if c := u.byName[name]; c != nil {
		return c
	}
	for _, c := range u.Classes {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// Analyze builds the model of a snapshot.
func (a *Analyzer) Analyze(ctx context.Context, snap *workspace.Snapshot, progress Progress) (*Model, error) {
	if progress == nil {
		progress = func(string, string, int, int) {}
	}
	files := snap.Files()
	a.mu.Lock()
	last := a.last
	memos, listedMemos := a.classes, a.asListed
	a.mu.Unlock()
	m, next := a.carry(last, snap, files, memos, progress)
	if m == nil {
		var err error
		if m, next, err = a.read(ctx, snap, files, progress); err != nil {
			return nil, err
		}
	}
	progress("merge", "merging classes", 0, len(m.Units))
	built := make(map[string]*builtUnit, len(m.Units))
	builtListed := map[string]*builtUnit{}
	for _, u := range m.Units {
		built[u.Dir] = u.build(memos[u.Dir])
		var lb *builtUnit
		if u.asListed, lb = u.withUnloaded(built[u.Dir], listedMemos[u.Dir]); lb != nil {
			builtListed[u.Dir] = lb
		}
	}
	// Carry over the findings of classes that did not change.
	a.mu.Lock()
	if m.gen == 0 {
		a.gen++
		m.gen = a.gen
	}
	a.classes, a.asListed = built, builtListed
	next.model = m
	a.last = next
	old := a.findings
	fc := &findingsCache{m: map[*Class][]dsl.Problem{}, files: map[fileRuleKey]fileRuleMemo{}}
	if old != nil {
		old.mu.Lock()
		for _, u := range m.Units {
			for _, uu := range []*Unit{u, u.asListed} {
				if uu == nil {
					continue
				}
				for _, c := range uu.Classes {
					if ps, ok := old.m[c]; ok {
						fc.m[c] = ps
					}
				}
			}
		}
		for k, fm := range old.files {
			if fm.gen == m.gen {
				fc.files[k] = fm
			}
		}
		old.mu.Unlock()
	}
	a.findings = fc
	m.findings = fc
	a.mu.Unlock()
	return m, nil
}

// read groups the files of a snapshot into units and reads them (through
// the caches): the model before its classes are built.
func (a *Analyzer) read(ctx context.Context, snap *workspace.Snapshot, files []*workspace.File, progress Progress) (*Model, *lastAnalysis, error) {
	m := &Model{
		Snapshot: snap, Scripts: make(map[string]*dsl.Script, snap.Len()), Docs: map[string]*docs.Doc{},
		Manifests: map[string]*dsl.Manifest{}, Java: map[string]*dsl.JavaConnector{},
	}
	next := &lastAnalysis{files: files, exists: map[string]bool{}}
	us, unitOf := a.groupUnits(m, files, next.exists)

	// Read scripts and docs, in parallel, through the caches.
	var work []*workspace.File
	for _, f := range files {
		if f.Kind.IsScript() || f.Kind.IsDoc() {
			work = append(work, f)
		}
	}
	results := make([]any, len(work))
	progress("read", "reading scripts and documents", 0, len(work))
	var done int
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f := work[i]
				if f.Kind.IsScript() {
					role := dsl.RoleUnknown
					if u := unitOf[f.Abs]; u != nil {
						if e := u.Listed[f.Abs]; e != nil {
							role = e.Role()
						}
					}
					results[i] = a.script(f, role)
				} else {
					results[i] = a.doc(snap, f)
				}
				mu.Lock()
				done++
				n := done
				mu.Unlock()
				if n%64 == 0 || n == len(work) {
					progress("read", f.Path, n, len(work))
				}
			}
		}()
	}
	// Largest first: a 10 MB document read last would run alone on one
	// core after the scripts; read first, the scripts fill the other cores
	// meanwhile.
	order := make([]int, len(work))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(work[b].Text) - len(work[a].Text) })
	var err error
	for _, i := range order {
		if ctx.Err() != nil {
			err = ctx.Err()
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	for i, f := range work {
		switch r := results[i].(type) {
		case *dsl.Script:
			if r.OutOfTime() {
				next.unkept = append(next.unkept, f)
			}
			m.Scripts[f.Abs] = r
			if u := unitOf[f.Abs]; u != nil {
				u.Scripts = append(u.Scripts, r)
			}
		case *docs.Doc:
			next.docFiles = append(next.docFiles, f)
			next.docs = append(next.docs, r)
			if r != nil && r.Format != "" {
				m.Docs[f.Abs] = r
			}
		}
	}
	m.attachDocs(us, unitOf)
	for _, u := range m.Units {
		u.orderScripts()
	}
	return m, next, nil
}

// carry builds the model of snap from the last analysis's when all that
// changed since are the texts of scripts: the units, their files and
// documents are the same, and only the changed scripts are read. It
// returns nil when more than that changed. The units are new (their
// classes are built again) but share what grouping found.
func (a *Analyzer) carry(last *lastAnalysis, snap *workspace.Snapshot, files []*workspace.File, memos map[string]*builtUnit, progress Progress) (*Model, *lastAnalysis) {
	if last == nil || len(files) != len(last.files) || !slices.Equal(snap.Roots, last.model.Snapshot.Roots) || !slices.Equal(snap.Skipped, last.model.Snapshot.Skipped) {
		return nil, nil
	}
	var changed []*workspace.File
	for i, f := range files {
		o := last.files[i]
		if f == o {
			continue
		}
		if f.Abs != o.Abs || f.Root != o.Root || f.Path != o.Path || f.Kind != o.Kind || !f.Kind.IsScript() || f.Err != nil || o.Err != nil {
			return nil, nil
		}
		changed = append(changed, f)
	}
	for _, f := range last.unkept {
		if !slices.Contains(changed, snap.File(f.Abs)) {
			changed = append(changed, snap.File(f.Abs))
		}
	}
	if !sameOnDisk(snap, last.exists) {
		return nil, nil
	}
	// A document's reading depends on the files its references led to,
	// which may be any (a script too).
	for i, f := range last.docFiles {
		if a.doc(snap, f) != last.docs[i] {
			return nil, nil
		}
	}
	o := last.model
	m := &Model{Snapshot: snap, Scripts: maps.Clone(o.Scripts), Docs: o.Docs, Manifests: o.Manifests, Java: o.Java,
		unitOf: o.unitOf, Units: make([]*Unit, len(o.Units)), gen: o.gen}
	for i, u := range o.Units {
		m.Units[i] = u.carried()
	}
	progress("read", "reading scripts", 0, len(changed))
	replaced := map[*dsl.Script]*dsl.Script{}
	var unkept []*workspace.File
	own := map[*Unit]bool{} // units whose Scripts are no longer the last model's
	for _, f := range changed {
		u := m.UnitOf(f.Abs)
		prev := o.Scripts[f.Abs]
		k := -1
		if u != nil {
			k = slices.Index(u.Scripts, prev)
		}
		if k < 0 {
			return nil, nil // not read the last time: cannot be
		}
		role := dsl.RoleUnknown
		if e := u.Listed[f.Abs]; e != nil {
			role = e.Role()
		}
		s := a.script(f, role)
		if s.OutOfTime() {
			unkept = append(unkept, f)
		}
		if s == prev {
			continue
		}
		m.Scripts[f.Abs] = s
		if !own[u] {
			u.Scripts = slices.Clone(u.Scripts)
			own[u] = true
		}
		u.Scripts[k] = s
		replaced[prev] = s
		if !fileRuleInputsSame(s, prev) {
			m.gen = 0
		}
	}
	progress("read", "reading scripts", len(changed), len(changed))
	// A unit's plan reads which of its scripts it loads, which did not
	// change: its inputs are the last ones with the new readings.
	for _, u := range m.Units {
		b := memos[u.Dir]
		if b == nil {
			continue
		}
		in := b.in
		in.scripts = slices.Clone(in.scripts)
		for i, s := range in.scripts {
			if r, ok := replaced[s]; ok {
				in.scripts[i] = r
			}
		}
		in.scim = u.usesScim()
		u.in = &in
	}
	next := &lastAnalysis{files: files, docFiles: last.docFiles, docs: last.docs, exists: last.exists, unkept: unkept}
	return m, next
}

// carried returns a new unit with what grouping found for u, to build
// its classes again.
func (u *Unit) carried() *Unit {
	c := *u
	c.Classes, c.byName, c.asListed, c.in = nil, nil, nil, nil
	c.paths = sync.OnceValue(c.pathStyle)
	return &c
}

// listedFile returns the file a manifest entry loads: the script, or its
// YAML fallback when only that exists (dsl.md §1.4).
func listedFile(snap *workspace.Snapshot, abs string) string {
	if snap.File(abs) != nil {
		return abs
	}
	if stem, ok := strings.CutSuffix(abs, ".groovy"); ok {
		for _, ext := range []string{".yaml", ".yml"} {
			if snap.File(stem+ext) != nil {
				return stem + ext
			}
		}
	}
	return abs
}

func newUnit(dir, root string) *Unit {
	u := &Unit{Dir: dir, Root: root, byName: map[string]*Class{}, Listed: map[string]*dsl.ManifestEntry{}, disabled: map[string]bool{}, DocFiles: map[*docs.Doc]*workspace.File{}}
	u.paths = sync.OnceValue(u.pathStyle)
	return u
}

func (a *Analyzer) script(f *workspace.File, role dsl.Role) *dsl.Script {
	key := scriptKey{f.Abs, f.Hash, role}
	a.mu.Lock()
	s := a.scripts[key]
	a.mu.Unlock()
	if s != nil {
		return s // same path, content and role: the same reading
	}
	a.mu.Lock()
	t := a.tracked[f.Abs]
	a.mu.Unlock()
	switch {
	case f.Kind == workspace.KindYAMLScript:
		s = dsl.ReadYAMLScript(f, role)
	case t != nil:
		t.mu.Lock()
		syn := t.inc.Parse(f.Text)
		s = dsl.ReadSyntax(f, syn, role, &t.memo)
		t.mu.Unlock()
	default:
		s = dsl.ReadScript(f, role)
	}
	if !s.OutOfTime() { // a busy machine's reading is not kept: the next analysis reads again
		a.mu.Lock()
		a.scripts[key] = s
		if len(a.readSince) < forgetAll { // past it, Forget looks at every reading
			a.readSince = append(a.readSince, f.Abs)
		}
		a.mu.Unlock()
	}
	return s
}

func (a *Analyzer) java(f *workspace.File) *dsl.JavaConnector {
	key := docKey{f.Abs, f.Hash}
	a.mu.Lock()
	jc, ok := a.javas[key]
	a.mu.Unlock()
	if ok {
		return jc
	}
	jc = dsl.ReadJavaConnector(f)
	a.mu.Lock()
	a.javas[key] = jc
	a.mu.Unlock()
	return jc
}

func (a *Analyzer) manifest(f *workspace.File) *dsl.Manifest {
	key := docKey{f.Abs, f.Hash}
	a.mu.Lock()
	man, ok := a.manifests[key]
	a.mu.Unlock()
	if ok {
		return man
	}
	man = dsl.ReadManifest(f)
	a.mu.Lock()
	a.manifests[key] = man
	a.mu.Unlock()
	return man
}

// docReading is a document as read, with the other workspace files its
// references led to and the content they had then: the reading holds
// while they are unchanged.
type docReading struct {
	doc  *docs.Doc
	deps map[string]workspace.Hash // by absolute path; the zero hash for a file that was missing
}

func (a *Analyzer) doc(snap *workspace.Snapshot, f *workspace.File) *docs.Doc {
	key := docKey{f.Abs, f.Hash}
	a.mu.Lock()
	r, ok := a.docs[key]
	aside := a.aside
	a.mu.Unlock()
	if ok && r.current(snap) {
		return r.doc
	}
	if aside != nil && len(f.Text) >= aside.size {
		return aside.doc(a, f)
	}
	r = &docReading{deps: map[string]workspace.Hash{}}
	// References to other files are read from the snapshot: files of the
	// workspace only, as the editor has them.
	open := func(rel string) ([]byte, bool) {
		abs := filepath.Join(f.Root, filepath.FromSlash(rel))
		if !workspace.Within(f.Root, abs) {
			return nil, false
		}
		other := snap.File(abs)
		if other == nil || other.Err != nil {
			r.deps[abs] = workspace.Hash{}
			return nil, false
		}
		r.deps[abs] = other.Hash
		return other.Text, true
	}
	r.doc = docs.ReadWith(f.Path, f.Text, open)
	a.mu.Lock()
	a.docs[key] = r
	a.mu.Unlock()
	return r.doc
}

// current reports whether the files a reading depends on are unchanged.
func (r *docReading) current(snap *workspace.Snapshot) bool {
	for abs, h := range r.deps {
		f := snap.File(abs)
		switch {
		case f == nil || f.Err != nil:
			if h != (workspace.Hash{}) {
				return false
			}
		case f.Hash != h:
			return false
		}
	}
	return true
}

// Forget drops cached readings of files that are no longer in snap, so a
// long-running server does not keep every version it ever saw.
func (a *Analyzer) Forget(snap *workspace.Snapshot) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.aside != nil {
		a.aside.forget(snap)
	}
	// After an edit, a thousand scripts are as they were: look up the
	// few that may not be.
	files := snap.Files()
	suspects, all := a.readSince, len(files) != len(a.forgot) || len(a.readSince) >= forgetAll
	for i := 0; !all && i < len(files); i++ {
		f, o := files[i], a.forgot[i]
		switch {
		case f == o:
		case f.Abs != o.Abs || len(suspects) >= forgetAll:
			all = true
		default:
			suspects = append(suspects, f.Abs)
		}
	}
	for k := range a.scripts {
		if !all && !slices.Contains(suspects, k.abs) {
			continue
		}
		if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
			delete(a.scripts, k)
		}
	}
	a.forgot, a.readSince = files, nil
	for k := range a.docs {
		if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
			delete(a.docs, k)
		}
	}
	for k := range a.javas {
		if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
			delete(a.javas, k)
		}
	}
	for k := range a.manifests {
		if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
			delete(a.manifests, k)
		}
	}
}

// orderScripts puts listed scripts first, in manifest order (the order
// the framework loads them), then the rest by path.
func (u *Unit) orderScripts() {
	lists := u.loadLists()
	size := 0
	for _, entries := range lists {
		size += len(entries)
	}
	order := make(map[string]int, size)
	n := 0
	for _, entries := range lists {
		for _, sec := range dsl.ManifestSections() {
			for _, e := range entries {
				if e.Section == sec {
					if _, ok := order[e.Abs]; !ok {
						order[e.Abs] = n
						n++
					}
				}
			}
		}
	}
	// Ranks looked up once, not in every comparison: a unit may hold
	// a thousand scripts, and this runs after every edit.
	type ranked struct {
		s    *dsl.Script
		rank int
	}
	rs := make([]ranked, len(u.Scripts))
	for i, sc := range u.Scripts {
		r, ok := order[sc.File.Abs]
		if !ok {
			r = n // unlisted scripts after the listed ones, by path
		}
		rs[i] = ranked{sc, r}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.s.File.Path, b.s.File.Path)
	})
	for i := range rs {
		u.Scripts[i] = rs[i].s
	}
}
