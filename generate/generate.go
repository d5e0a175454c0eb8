// Package generate writes the connid mapping and the update operation of
// an object class from the analysed model, deterministically. It returns
// edits and never writes the workspace itself: the face that runs it (the
// LSP, the CLI, the HTTP API) decides what to do with them. A marker
// comment in each generated block (marker.go) makes regeneration
// idempotent and tells blocks the user wrote or edited, whose
// regeneration is a merge the user confirms (merge.go).
package generate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aymanbagabas/go-udiff"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Kind is what to generate.
type Kind string

const (
	KindConnID Kind = "connid"
	KindUpdate Kind = "update"
)

// ParseKind reads a kind: connid, update, or one of moreKinds.
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case KindConnID, KindUpdate:
		return Kind(s), nil
	}
	for _, k := range moreKinds {
		if Kind(s) == k {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown kind %q: want connid, update, %s", s, moreKindsText())
}

// Request asks for one generation.
type Request struct {
	Model    *analysis.Model
	Unit     *analysis.Unit // nil: the unit that has the class
	Class    string
	Kind     Kind
	Fresh    bool // ignore the previous result and any manual override
	Progress analysis.Progress
	// Assist, when set, may improve the deterministic choice (an LLM
	// backend). It is asked when the choice is unsure (a close call, a
	// single identifier, no documented update endpoint), or always with
	// AskAssist (the user picked "Generate with AI").
	Assist    Assistant
	AskAssist bool
	// PlanOnly decides what would be generated, and says why, without
	// building the change: the Result has its Title, Notes, Code and
	// Status but no Changes. Code actions offered on every cursor move
	// need no more.
	PlanOnly bool
}

// Assistant can revise a generation; see package generate/llm. in is the
// deterministic plan (for update, nil when no endpoint is documented).
// A revision it returns has been validated against the class; on an
// error the caller keeps the deterministic plan.
type Assistant interface {
	ReviseConnID(ctx context.Context, c *analysis.Class, in *ConnIDPlan, docs []DocChunk, progress analysis.Progress) (*ConnIDPlan, []string, error)
	ReviseUpdate(ctx context.Context, c *analysis.Class, in *UpdatePlan, docs []DocChunk, progress analysis.Progress) (*UpdatePlan, []string, error)
}

// Result is a generation: the code, the file changes that put it in
// place, and why.
type Result struct {
	Class   string
	Kind    Kind
	Code    string // the generated block
	Title   string // a code action title, with the runner-up of a close call
	Changes []FileChange
	Notes   []string // explanations: choices, runner-ups, what was left alone
	// Status says what the result means: "created", "updated",
	// "unchanged" (already in place, or inputs unchanged since connls
	// wrote the block), or "proposal" (a change to code written or edited
	// by hand, which the user confirms).
	Status string
	// Confirm is set when the changes touch code the user wrote: a face
	// shows them and applies them only when the user says so.
	Confirm bool
	Record  Record
	// Dir is the connector directory.
	Dir string
}

// Record says what connls generated for a class: from which inputs, the
// hash of its code and the file it went into. The marker comment of the
// generated block carries the hashes (see marker.go).
type Record struct {
	Class      string `json:"class"`
	Kind       string `json:"kind"`
	File       string `json:"file"`
	InputHash  string `json:"inputHash"`
	OutputHash string `json:"outputHash"`
}

// FileChange is the change of one file.
type FileChange struct {
	Abs    string
	Path   string // slash path relative to the workspace root
	New    bool   // the file does not exist yet
	Edits  []dsl.Edit
	Before string
	After  string
}

// ErrNotFound marks requests for a class the workspace does not have,
// or whose prerequisites (attributes, endpoints) are missing.
var ErrNotFound = errors.New("not found")

// notFound is an ErrNotFound with the service's kind of message.
type notFound struct{ msg string }

func (e notFound) Error() string        { return e.msg }
func (e notFound) Is(target error) bool { return target == ErrNotFound }

// Generate runs one generation.
func Generate(ctx context.Context, req Request) (*Result, error) {
	switch req.Kind {
	case KindAuthorization:
		return generateAuthorization(ctx, req)
	case KindRelations:
		return generateRelations(ctx, req)
	}
	if req.Progress == nil {
		req.Progress = func(string, string, int, int) {}
	}
	u, c := findClass(req.Model, req.Unit, req.Class)
	if c == nil {
		return nil, notFound{unknownClass(req.Model, req.Unit, req.Class)}
	}
	chunks := DocChunks(u, c)
	var (
		plan planned
		err  error
	)
	switch req.Kind {
	case KindConnID:
		plan, err = planConnID(ctx, req, u, c, chunks)
	case KindUpdate:
		plan, err = planUpdate(ctx, req, u, c, chunks)
	default:
		if p, ok := planMore[req.Kind]; ok {
			plan, err = p(ctx, req, u, c, chunks)
			break
		}
		return nil, fmt.Errorf("unknown kind %q", req.Kind)
	}
	var nf notFound
	if errors.As(err, &nf) {
		// Say where connls looked and what it found.
		nf.msg = strings.TrimSuffix(nf.msg, ".") + " (" + looked(req.Model, u, c, req.Kind) + ")."
		return nil, nf
	}
	if err != nil {
		return nil, err
	}
	return place(req, u, c, plan)
}

// unknownClass says that a class is not in the workspace, and which are.
func unknownClass(m *analysis.Model, u *analysis.Unit, name string) string {
	units := m.Units
	if u != nil {
		units = []*analysis.Unit{u}
	}
	seen := map[string]bool{}
	var known []string
	for _, x := range units {
		for _, c := range x.Classes {
			if !seen[c.Name] {
				seen[c.Name] = true
				known = append(known, c.Name)
			}
		}
	}
	sort.Strings(known)
	msg := fmt.Sprintf("object class %q not found in the workspace", name)
	switch {
	case len(known) == 0:
		msg += "; it has no object classes"
	case len(known) > 40:
		msg += fmt.Sprintf("; it has %d classes: %s, ...", len(known), strings.Join(known[:40], ", "))
	default:
		msg += "; its classes are " + strings.Join(known, ", ")
	}
	return msg
}

func findClass(m *analysis.Model, u *analysis.Unit, name string) (*analysis.Unit, *analysis.Class) {
	units := m.Units
	if u != nil {
		units = []*analysis.Unit{u}
	}
	for _, x := range units {
		if c := x.Class(name); c != nil {
			return x, c
		}
	}
	for _, x := range units {
		if c := x.ClassFold(name); c != nil {
			return x, c
		}
	}
	return nil, nil
}

// DocChunk is a part of the documentation about a class.
type DocChunk struct {
	File  string
	Title string
	Start int
	End   int
	Text  string
}

// DocChunks returns the documentation chunks about a class, in order, as
// a generation hands them to its Assistant.
func DocChunks(u *analysis.Unit, c *analysis.Class) []DocChunk {
	key := analysis.NormalizeClassName(c.Name)
	var out []DocChunk
	for _, d := range u.Docs {
		f := u.DocFiles[d]
		if f == nil {
			continue
		}
		lines := strings.Split(string(f.Text), "\n")
		for _, ch := range d.Chunks {
			if analysis.NormalizeClassName(ch.Class) != key && analysis.NormalizeClassName(ch.Title) != key {
				continue
			}
			start, end := max(ch.StartLine-1, 0), min(ch.EndLine+40, len(lines))
			out = append(out, DocChunk{File: f.Path, Title: ch.Title, Start: ch.StartLine, End: ch.EndLine, Text: strings.Join(lines[start:end], "\n")})
		}
	}
	return out
}

// planned is what a generator decided, before it is placed in a file.
type planned struct {
	kind   Kind
	code   string // the block, unindented, with a trailing newline
	title  string
	notes  []string
	inputs any // what the decision depended on, hashed for the record
	// region is where the block goes.
	region region
	// extra are further edits (a manifest entry).
	manifestSection string
}

// blockRegion is the region of a whole block, from the start of its line
// when only indentation precedes it there, so that the indentation is part
// of what is replaced.
func blockRegion(f *workspace.File, r workspace.Range, whole bool) region {
	indent := analysis.IndentOf(f, r.Start)
	if len([]rune(indent)) == r.Start.Col {
		r.Start.Col = 0
	} else {
		indent = ""
	}
	return region{file: f, abs: f.Abs, rng: r, exists: true, whole: whole, indent: indent}
}

// region is where generated code goes in a file.
type region struct {
	file   *workspace.File // nil: a new file at abs
	abs    string
	rng    workspace.Range // the text replaced; empty range: insertion point
	exists bool            // a block already stands there
	whole  bool            // the region is a whole objectClass block
	yaml   bool            // the region is in a YAML script
	indent string          // indentation of the region's first line
}

func hashOf(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

func hashText(s string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(s)))
	return hex.EncodeToString(h[:12])
}

// emptyBlock reports whether a block has nothing between its braces
// (objectClass("User") {}): filling it loses nothing written by hand.
func emptyBlock(text string) bool {
	open, end := strings.IndexByte(text, '{'), strings.LastIndexByte(text, '}')
	return open >= 0 && end > open && strings.TrimSpace(text[open+1:end]) == ""
}

// place puts a planned block into its region. A block as connls wrote it
// (its marker comment says so) is replaced when the inputs changed; a
// block written or edited by hand gets a merge the user confirms (see
// merge.go); a new block goes into its file, listed in the manifest.
func place(req Request, u *analysis.Unit, c *analysis.Class, p planned) (*Result, error) {
	inputHash := hashOf(p.inputs)
	r := p.region
	code := withMarker(p.code, r.yaml)
	text := indentBlock(code, r.indent)
	res := &Result{Class: c.Name, Kind: req.Kind, Code: code, Title: p.title, Notes: p.notes, Dir: u.Dir}
	res.Record = Record{Class: c.Name, Kind: string(req.Kind), InputHash: inputHash, OutputHash: codeHash(p.code)}
	if r.file != nil {
		res.Record.File = r.file.Path
	} else {
		res.Record.File = relPath(u.Root, r.abs)
	}
	current := ""
	if r.exists && r.file != nil {
		l := r.file.Lines()
		current = string(r.file.Text[l.Offset(r.rng.Start):l.Offset(r.rng.End)])
	}
	mk, body, marked := readMarker(current)
	asGenerated := marked && codeHash(body) == mk.code
	switch {
	case r.exists && hashText(current) == hashText(text):
		res.Status = "unchanged"
		res.Notes = append(res.Notes, "the block in "+res.Record.File+" is already what connls generates")
		return res, nil
	case r.exists && !asGenerated && !emptyBlock(current):
		if req.PlanOnly {
			res.Status, res.Confirm = "proposal", true
			return res, nil
		}
		return proposeMerge(req, res, r, c, current, text, marked)
	}
	res.Status = "created"
	if r.exists {
		res.Status = "updated"
	}
	if req.PlanOnly {
		return res, nil
	}
	change := FileChange{Abs: r.abs, Path: res.Record.File, New: r.file == nil}
	if r.file != nil {
		change.Before = string(r.file.Text)
	}
	var newText string
	switch {
	case r.file == nil:
		newText = text
		change.Edits = []dsl.Edit{{Abs: r.abs, NewText: newText}}
	case r.exists:
		// Replace the block, keeping what surrounds it.
		change.Edits = []dsl.Edit{{Abs: r.abs, Range: r.rng, NewText: strings.TrimSuffix(text, "\n")}}
	default:
		// Append to the file, after a blank line.
		sep := "\n"
		if len(r.file.Text) > 0 && !strings.HasSuffix(string(r.file.Text), "\n") {
			sep = "\n\n"
		} else if len(r.file.Text) == 0 {
			sep = ""
		}
		change.Edits = []dsl.Edit{{Abs: r.abs, Range: r.rng, NewText: sep + text}}
	}
	change.After = applyEdits(change.Before, change.Edits)
	if !strings.HasSuffix(change.After, "\n") {
		// Files end with a newline, whatever the block's neighbours did.
		end := workspace.NewLines([]byte(change.Before)).Pos(len(change.Before))
		change.Edits = append(change.Edits, dsl.Edit{Abs: r.abs, Range: workspace.Range{Start: end, End: end}, NewText: "\n"})
		change.After = applyEdits(change.Before, change.Edits)
	}
	res.Changes = append(res.Changes, change)
	if r.file == nil && p.manifestSection != "" && len(u.Manifests) > 0 {
		if mc, ok := manifestChange(u, p.manifestSection, r.abs); ok {
			res.Changes = append(res.Changes, mc)
		}
	}
	return res, nil
}

func relPath(root, abs string) string {
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// manifestChange lists a new script in the unit's manifest.
func manifestChange(u *analysis.Unit, section, abs string) (FileChange, bool) {
	m := u.Manifests[0]
	script, ok := m.ScriptName(abs)
	if !ok {
		return FileChange{}, false
	}
	e, ok := analysis.AddManifestEntry(m, section, script)
	if !ok {
		return FileChange{}, false
	}
	before := string(m.File.Text)
	return FileChange{Abs: m.File.Abs, Path: m.File.Path, Edits: []dsl.Edit{e}, Before: before, After: applyEdits(before, []dsl.Edit{e})}, true
}

// applyEdits applies non-overlapping edits to a text.
func applyEdits(text string, edits []dsl.Edit) string {
	sorted := append([]dsl.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[j].Range.Start.Before(sorted[i].Range.Start) })
	b := []byte(text)
	for _, e := range sorted {
		l := workspace.NewLines(b)
		s, end := l.Offset(e.Range.Start), l.Offset(e.Range.End)
		b = append(append(append([]byte(nil), b[:s]...), e.NewText...), b[end:]...)
	}
	return string(b)
}

// indentBlock indents every line but blank ones.
func indentBlock(code, indent string) string {
	if indent == "" {
		return code
	}
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = indent + l
		}
	}
	return strings.Join(lines, "\n")
}

// commentWidth is where generated comments wrap.
const commentWidth = 100

// comment writes text as comment lines that start with indent and mark,
// wrapped at word boundaries near commentWidth.
func comment(b *strings.Builder, indent, mark, text string) {
	commentMarked(b, indent, mark, mark, text)
}

// commentMarked is comment with a different mark on the first line
// ("// connls:inferred ") than on the lines that continue it ("// ").
func commentMarked(b *strings.Builder, indent, first, rest, text string) {
	line := ""
	mark := first
	flush := func() {
		if line != "" {
			b.WriteString(indent + mark + line + "\n")
			line, mark = "", rest
		}
	}
	for _, w := range strings.Fields(text) {
		if line != "" && len(indent)+len(mark)+len(line)+1+len(w) > commentWidth {
			flush()
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	flush()
}

// Quote writes a Groovy string literal.
func Quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// StepDelay slows each documentation step down. Only tests set it (the
// end-to-end tests of cancellation need a job that takes a while); the
// deterministic generators are otherwise instant.
var StepDelay time.Duration

// progressDocs reports one step per documentation chunk; it returns
// early when the context is done.
func progressDocs(ctx context.Context, progress analysis.Progress, stage string, chunks []DocChunk) error {
	if len(chunks) == 0 {
		progress(stage, "no documentation for this class", 0, 0)
		return ctx.Err()
	}
	for i, ch := range chunks {
		if StepDelay > 0 {
			select {
			case <-time.After(StepDelay):
			case <-ctx.Done():
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		progress(stage, fmt.Sprintf("%s: %s (lines %d-%d)", ch.File, ch.Title, ch.Start, ch.End), i+1, len(chunks))
	}
	return nil
}

// WriteFiles puts a result's changes on disk, as one change (see
// workspace.WriteFiles): refused outside the workspace roots, through a
// link that leads outside, or when a file changed since the generation
// read it, so a user's edit is never lost.
func WriteFiles(res *Result, roots []string) error {
	return workspace.WriteFiles(roots, writes(res))
}

// WriteResult writes a result's changes, as one change. What the next
// generation needs to know is in the generated code itself.
func WriteResult(res *Result, roots []string) error {
	return WriteFiles(res, roots)
}

func writes(res *Result) []workspace.Write {
	var out []workspace.Write
	for _, c := range res.Changes {
		out = append(out, workspace.Write{Abs: c.Abs, Data: []byte(c.After), Check: unchangedSince(c)})
	}
	return out
}

// unchangedSince checks that a file is as the generation read it.
func unchangedSince(c FileChange) func([]byte, bool) error {
	return func(cur []byte, exists bool) error {
		switch {
		case c.New && exists:
			return fmt.Errorf("%s appeared while generating; nothing written", c.Path)
		case !c.New && !exists:
			return fmt.Errorf("%s was removed while generating; nothing written", c.Path)
		case !c.New && string(cur) != c.Before:
			return fmt.Errorf("%s changed while generating; nothing written", c.Path)
		}
		return nil
	}
}

// proposeMerge is a regeneration over a block written or edited by hand:
// the merge of merge.go, as a change the user confirms.
func proposeMerge(req Request, res *Result, r region, c *analysis.Class, current, text string, marked bool) (*Result, error) {
	who := "written by hand"
	if marked {
		who = "edited since connls generated it"
	}
	gen := strings.TrimSuffix(text, "\n")
	var merged string
	if req.Fresh {
		merged = mergeFresh(current, gen, r.yaml)
	} else {
		var changed, left []string
		merged, changed, left = mergeKeyed(current, gen, r.yaml)
		if len(changed) > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("the %s block of %s in %s was %s: connls proposes to change only %s, and keeps everything else", req.Kind, c.Name, res.Record.File, who, strings.Join(changed, "; ")))
		}
		if len(left) > 0 {
			res.Notes = append(res.Notes, "regenerate from scratch to also get "+strings.Join(left, "; "))
		}
	}
	if merged == current {
		res.Status = "unchanged"
		res.Notes = append(res.Notes, fmt.Sprintf("the %s block of %s in %s was %s, and its lines already say what connls would", req.Kind, c.Name, res.Record.File, who))
		return res, nil
	}
	if req.Fresh {
		res.Notes = append(res.Notes, fmt.Sprintf("the %s block of %s in %s was %s: from scratch replaces it and keeps its comments", req.Kind, c.Name, res.Record.File, who))
	}
	res.Status, res.Confirm = "proposal", true
	before := string(r.file.Text)
	l := r.file.Lines()
	after := before[:l.Offset(r.rng.Start)] + merged + before[l.Offset(r.rng.End):]
	res.Changes = []FileChange{{Abs: r.abs, Path: res.Record.File, Edits: lineEdits(r.abs, before, after), Before: before, After: after}}
	return res, nil
}

// lineEdits are the edits, whole lines each, that turn before into after:
// a client shows the few lines that change, not the block.
func lineEdits(abs, before, after string) []dsl.Edit {
	lines := workspace.NewLines([]byte(before))
	var out []dsl.Edit
	for _, e := range udiff.Lines(before, after) {
		out = append(out, dsl.Edit{Abs: abs, Range: workspace.Range{Start: lines.Pos(e.Start), End: lines.Pos(e.End)}, NewText: e.New})
	}
	return out
}

// Diff is a result's changes as a unified diff.
func (res *Result) Diff() string {
	var b strings.Builder
	for _, c := range res.Changes {
		from := "a/" + c.Path
		if c.New {
			from = "/dev/null"
		}
		b.WriteString(udiff.Unified(from, "b/"+c.Path, c.Before, c.After))
	}
	return b.String()
}
