package analysis

import (
	"fmt"
	"path/filepath"
	"sort"
	"sync"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Rule describes one kind of finding. Codes are stable: users silence
// them with `// connls:ignore CODE` and CI tools track them by code.
type Rule struct {
	Code     string
	Severity dsl.Severity // the default
	Summary  string       // one line: what is wrong
	Help     string       // what to do about it
	Example  string       // a script (or manifest) that triggers it
	// check runs the rule over a unit's files: it must not read the
	// unit's classes, nor of its scripts more than their paths and what
	// fileRuleInputsSame compares (see Model.gen), since its findings are
	// kept while those are the same. checkClasses runs over the unit's classes, on
	// every analysis; perClass over one class, whose findings depend on
	// that class alone and are kept as long as the class is unchanged.
	// Rules whose findings come from the readers (the DSL vocabulary,
	// syntax) have none of them.
	check        func(*unitCheck)
	checkClasses func(*unitCheck)
	perClass     func(*unitCheck, *Class)
}

// fileRuleInputsSame reports whether the rules over a unit's files (Rule's
// check) see two readings of a script alike: they read its roles, and
// its text when connls inferred parts of it. Their findings are kept
// while this holds for every script of the unit.
func fileRuleInputsSame(a, b *dsl.Script) bool {
	return a.Role == b.Role && a.ContentRole == b.ContentRole && !a.Inferred && !b.Inferred
}

// Rules lists every rule, in the order docs/rules.md presents them.
var Rules []*Rule

var ruleByCode = map[string]*Rule{}

func register(r *Rule) *Rule {
	Rules = append(Rules, r)
	ruleByCode[r.Code] = r
	return r
}

// RuleFor returns the rule with the given code, or nil.
func RuleFor(code string) *Rule { return ruleByCode[code] }

// unitCheck is what a rule sees: one connector and a sink for findings.
type unitCheck struct {
	model *Model
	unit  *Unit
	out   []dsl.Problem
	// exists notes what the rule found on disk outside the snapshot.
	exists map[string]bool
}

func (uc *unitCheck) report(p dsl.Problem) *dsl.Problem {
	if p.Severity == 0 {
		if r := ruleByCode[p.Code]; r != nil {
			p.Severity = r.Severity
		}
	}
	uc.out = append(uc.out, p)
	return &uc.out[len(uc.out)-1]
}

// problemAt builds a problem located in a script.
func problemAt(code string, s *dsl.Script, r workspace.Range, msg string) dsl.Problem {
	return dsl.Problem{Code: code, Abs: s.File.Abs, Path: s.File.Path, Range: r, Message: msg}
}

func related(s *dsl.Script, r workspace.Range, msg string) dsl.Related {
	return dsl.Related{Abs: s.File.Abs, Path: s.File.Path, Range: r, Message: msg}
}

// Diagnostics runs every rule over the model and returns the findings of
// all files, sorted, with `connls:ignore` comments applied.
func (m *Model) Diagnostics() []dsl.Problem {
	var out []dsl.Problem
	for _, u := range m.Units {
		out = append(out, m.UnitDiagnostics(u)...)
	}
	sortProblems(out)
	return out
}

// UnitDiagnostics runs the rules over one connector. Scripts the
// framework does not load are left out of its classes, so they are
// checked apart: against the classes the unit would have if they were
// listed, keeping what that finds in them.
func (m *Model) UnitDiagnostics(u *Unit) []dsl.Problem {
	uc := &unitCheck{model: m, unit: u}
	for _, s := range u.Scripts {
		uc.out = append(uc.out, s.Problems...)
	}
	m.runRules(uc, true)
	if w := u.asListed; w != nil {
		seen := map[string]bool{}
		for _, p := range uc.out {
			seen[problemKey(p)] = true
		}
		// The rules over files find in the copy what they found in the
		// unit (the copy has the unit's files): all of it is seen.
		wc := &unitCheck{model: m, unit: w}
		m.runRules(wc, false)
		for _, p := range wc.out {
			if s := m.Scripts[p.Abs]; s != nil && !u.loaded(s) && !seen[problemKey(p)] {
				seen[problemKey(p)] = true
				uc.out = append(uc.out, p)
			}
		}
	}
	// In a script with syntax errors only those count: what else was
	// read from it is a guess.
	out := uc.out[:0]
	for _, p := range uc.out {
		if s := m.Scripts[p.Abs]; p.Code != "syntax" && p.Code != "unread-statement" && s != nil && s.Broken() {
			continue
		}
		out = append(out, m.inUnloaded(p))
	}
	return m.applyIgnores(out)
}

// inUnloaded lowers an error in a script the framework never loads (its
// manifest does not list it, or disables it) to a warning that says so:
// the script breaks nothing until it is listed. manifest-unlisted itself
// is what tells the user.
func (m *Model) inUnloaded(p dsl.Problem) dsl.Problem {
	if p.Severity != dsl.SevError || p.Code == "manifest-unlisted" {
		return p
	}
	u := m.UnitOf(p.Abs)
	if u == nil || !u.loads() || m.Scripts[p.Abs] == nil {
		return p
	}
	if _, listed := u.Listed[p.Abs]; listed {
		return p
	}
	why := ""
	if len(u.Manifests) > 0 {
		why = u.Manifests[0].File.Path + " does not list it"
	} else {
		why = filepath.Base(u.Java[0].File.Path) + " does not load it"
	}
	p.Severity = dsl.SevWarning
	p.Message += " (this file is not loaded: " + why + ")"
	return p
}

// runRules runs the unit rules (those over files too when files is
// set), then the per-class ones, over uc's unit.
func (m *Model) runRules(uc *unitCheck, files bool) {
	for i, r := range Rules {
		if r.check != nil && files {
			uc.out = append(uc.out, m.fileProblems(uc.unit, i, r)...)
		}
		if r.checkClasses != nil {
			r.checkClasses(uc)
		}
	}
	for _, c := range uc.unit.Classes {
		uc.out = append(uc.out, m.classProblems(c)...)
	}
}

// fileProblems runs a rule over the files of a unit, or returns what it
// found before in a model of the same generation, when what it found on
// disk is the same.
func (m *Model) fileProblems(u *Unit, i int, r *Rule) []dsl.Problem {
	key := fileRuleKey{u.Dir, i}
	if m.findings != nil {
		if fm, ok := m.findings.file(key); ok && fm.gen == m.gen && sameOnDisk(m.Snapshot, fm.exists) {
			return fm.out
		}
	}
	uc := &unitCheck{model: m, unit: u, exists: map[string]bool{}}
	r.check(uc)
	if m.findings != nil {
		m.findings.putFile(key, fileRuleMemo{gen: m.gen, exists: uc.exists, out: uc.out})
	}
	return uc.out
}

// sameOnDisk reports whether files outside the snapshot exist as they
// did.
func sameOnDisk(snap *workspace.Snapshot, exists map[string]bool) bool {
	for abs, ok := range exists {
		if snap.Exists(abs) != ok {
			return false
		}
	}
	return true
}

// key identifies a finding, to drop the second of two equal ones.
func problemKey(p dsl.Problem) string {
	return fmt.Sprintf("%s\x00%s\x00%v\x00%s", p.Code, p.Abs, p.Range, p.Message)
}

// classProblems runs the per-class rules over a class, or returns what
// they found before: a class that did not change is the same object.
func (m *Model) classProblems(c *Class) []dsl.Problem {
	if m.findings != nil {
		if ps, ok := m.findings.get(c); ok {
			return ps
		}
	}
	ps := m.uncachedClassProblems(c)
	if m.findings != nil {
		m.findings.put(c, ps)
	}
	return ps
}

// uncachedClassProblems runs the per-class rules over a class.
func (m *Model) uncachedClassProblems(c *Class) []dsl.Problem {
	cc := &unitCheck{model: m}
	for _, r := range Rules {
		if r.perClass != nil {
			r.perClass(cc, c)
		}
	}
	return cc.out
}

// findingsCache keeps the per-class findings of the classes of the
// latest analysis.
type findingsCache struct {
	mu    sync.Mutex
	m     map[*Class][]dsl.Problem
	files map[fileRuleKey]fileRuleMemo
}

// fileRuleKey is a rule over files (its index in Rules) and the unit it
// ran over.
type fileRuleKey struct {
	dir  string
	rule int
}

// fileRuleMemo is what a rule over files found in a unit of a model of
// generation gen, with the answers it had about files on disk.
type fileRuleMemo struct {
	gen    uint64
	exists map[string]bool
	out    []dsl.Problem
}

func (f *findingsCache) file(k fileRuleKey) (fileRuleMemo, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fm, ok := f.files[k]
	return fm, ok
}

func (f *findingsCache) putFile(k fileRuleKey, fm fileRuleMemo) {
	f.mu.Lock()
	f.files[k] = fm
	f.mu.Unlock()
}

func (f *findingsCache) get(c *Class) ([]dsl.Problem, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ps, ok := f.m[c]
	return ps, ok
}

func (f *findingsCache) put(c *Class, ps []dsl.Problem) {
	f.mu.Lock()
	f.m[c] = ps
	f.mu.Unlock()
}

// incomplete reports whether a class is configured by a script with
// syntax errors: rules that need all of its attributes then say nothing.
func (c *Class) incomplete() bool {
	for _, b := range append(append([]*dsl.ClassBlock{}, c.Blocks...), c.OpBlocks...) {
		if b.Script.Broken() {
			return true
		}
	}
	return false
}

func sortProblems(ps []dsl.Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start.Before(b.Range.Start)
		}
		return a.Code < b.Code
	})
}

// applyIgnores drops findings silenced by a `// connls:ignore CODE`
// comment on their line or the line above.
func (m *Model) applyIgnores(ps []dsl.Problem) []dsl.Problem {
	out := ps[:0]
	for _, p := range ps {
		if !m.ignored(p) {
			out = append(out, p)
		}
	}
	return out
}

func (m *Model) ignored(p dsl.Problem) bool {
	s := m.Scripts[p.Abs]
	if s == nil {
		return false
	}
	line := p.Range.Start.Line
	for _, ig := range s.Ignores {
		if ig.Line != line && ig.Line != line-1 {
			continue
		}
		if len(ig.Codes) == 0 {
			return true
		}
		for _, c := range ig.Codes {
			if c == p.Code {
				return true
			}
		}
	}
	return false
}
