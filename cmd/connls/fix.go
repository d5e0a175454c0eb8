package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/aymanbagabas/go-udiff"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// maxFixRounds bounds --fix: a fix can reveal another finding (a
// corrected name makes a mapping checkable), so fixes are applied, the
// workspace checked again, and so on until no safe fix is left.
const maxFixRounds = 10

// appliedFix is one fix --fix applied, for the report on stderr.
type appliedFix struct {
	problem dsl.Problem
	fix     dsl.Fix
}

// fixRun is the outcome of applying the safe fixes in memory.
type fixRun struct {
	model   *analysis.Model
	applied []appliedFix
	before  map[string][]byte // the text on disk of each changed file
	after   map[string][]byte // its fixed text
	settled bool              // no safe fix is left (a second run changes nothing)
}

// applySafeFixes applies the fixes a person need not choose (see
// analysis.SafeFix) to the editor overlays of ws, checking the
// workspace again after each round. Nothing is written.
//
// extra, when not nil, adds findings of the model beyond its diagnostics
// (midPoint's errors): the fixes they confirm are applied too.
func applySafeFixes(ctx context.Context, ws *workspace.Workspace, an *analysis.Analyzer, m *analysis.Model, extra func(*analysis.Model) []dsl.Problem) (*fixRun, error) {
	run := &fixRun{model: m, before: map[string][]byte{}, after: map[string][]byte{}}
	roots := ws.Roots()
	for round := 1; round <= maxFixRounds; round++ {
		snap := m.Snapshot
		problems := m.Diagnostics()
		if extra != nil {
			problems = append(extra(m), problems...)
		}
		chosen, edits := chooseFixes(problems, roots, snap)
		if len(chosen) == 0 {
			run.settled = true
			break
		}
		run.applied = append(run.applied, chosen...)
		for abs, es := range edits {
			f := snap.File(abs)
			if _, ok := run.before[abs]; !ok {
				run.before[abs] = f.Text
			}
			text := applyEdits(f.Text, es)
			run.after[abs] = text
			ws.Open(abs, int32(round), text)
		}
		var err error
		if m, err = an.Analyze(ctx, ws.Snapshot(), nil); err != nil {
			return nil, err
		}
		run.model = m
	}
	// A fix undone by a later one leaves the file as it was.
	for abs, text := range run.after {
		if string(text) == string(run.before[abs]) {
			delete(run.after, abs)
			delete(run.before, abs)
		}
	}
	return run, nil
}

// chooseFixes picks the safe fix of each finding, skipping a fix that
// edits a file outside the workspace or not read from it, and a fix that
// overlaps one already chosen (the next round sees whether it is still
// needed). It returns the chosen fixes and their edits by file.
func chooseFixes(problems []dsl.Problem, roots []string, snap *workspace.Snapshot) ([]appliedFix, map[string][]dsl.Edit) {
	var chosen []appliedFix
	edits := map[string][]dsl.Edit{}
	for _, p := range problems {
		fix, ok := analysis.RepairFix(p, snap) // SafeFix, and for midPoint's errors the fix they confirm
		if !ok || len(fix.Edits) == 0 || !fixFits(fix, roots, snap, edits) {
			continue
		}
		for _, e := range fix.Edits {
			edits[e.Abs] = append(edits[e.Abs], e)
		}
		chosen = append(chosen, appliedFix{problem: p, fix: fix})
	}
	return chosen, edits
}

func fixFits(fix dsl.Fix, roots []string, snap *workspace.Snapshot, taken map[string][]dsl.Edit) bool {
	for _, e := range fix.Edits {
		if !insideAny(roots, e.Abs) || snap.File(e.Abs) == nil || e.Range.End.Before(e.Range.Start) {
			return false
		}
		for _, t := range taken[e.Abs] {
			if overlaps(e.Range, t.Range) {
				return false
			}
		}
	}
	return true
}

func insideAny(roots []string, abs string) bool {
	for _, r := range roots {
		if workspace.Within(r, abs) {
			return true
		}
	}
	return false
}

// overlaps reports whether two edits touch the same text; two insertions
// at one place overlap too, since their order would be a guess.
func overlaps(a, b workspace.Range) bool {
	if a.Start == b.Start {
		return true
	}
	return a.Start.Before(b.End) && b.Start.Before(a.End)
}

// applyEdits applies non-overlapping edits to a text, from the last to
// the first so that earlier positions stay valid.
func applyEdits(text []byte, edits []dsl.Edit) []byte {
	sorted := append([]dsl.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[j].Range.Start.Before(sorted[i].Range.Start) })
	out := text
	for _, e := range sorted {
		l := workspace.NewLines(out)
		s, end := l.Offset(e.Range.Start), l.Offset(e.Range.End)
		next := make([]byte, 0, len(out)-(end-s)+len(e.NewText))
		next = append(append(append(next, out[:s]...), e.NewText...), out[end:]...)
		out = next
	}
	return out
}

// changedFiles lists the fixed files in path order.
func (r *fixRun) changedFiles() []string {
	var files []string
	for abs := range r.after {
		files = append(files, abs)
	}
	sort.Strings(files)
	return files
}

// printFixDiff prints the fixes as a unified diff that `git apply` takes
// from the current directory.
func printFixDiff(w io.Writer, r *fixRun) error {
	for _, abs := range r.changedFiles() {
		p := displayPath(abs)
		if _, err := io.WriteString(w, udiff.Unified("a/"+p, "b/"+p, string(r.before[abs]), string(r.after[abs]))); err != nil {
			return err
		}
	}
	return nil
}

// writeFixes writes the fixed files as one change, each atomically; a
// file edited since it was read is not overwritten.
func writeFixes(roots []string, r *fixRun) error {
	var writes []fileWrite
	for _, abs := range r.changedFiles() {
		before := r.before[abs]
		writes = append(writes, fileWrite{Abs: abs, Data: r.after[abs], Check: func(current []byte, exists bool) error {
			if !exists || string(current) != string(before) {
				return fmt.Errorf("%s changed while connls was fixing it; nothing written", displayPath(abs))
			}
			return nil
		}})
	}
	return writeFiles(roots, writes)
}

// reportFixes tells on stderr what --fix did or, with --diff, would do.
func reportFixes(w io.Writer, r *fixRun, dryRun bool) {
	verb := "fixed"
	if dryRun {
		verb = "would fix"
	}
	for _, a := range r.applied {
		p := a.problem
		fmt.Fprintf(w, "connls: %s %s:%d:%d %s: %s\n", verb, displayPath(p.Abs), p.Range.Start.Line+1, p.Range.Start.Col+1, p.Code, a.fix.Title)
	}
	if !r.settled {
		fmt.Fprintf(w, "connls: fixes were still being found after %d rounds; run --fix again\n", maxFixRounds)
	}
}
