package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/generate"
)

// Backend is an LLM that answers one prompt with JSON that follows a
// schema. The backends (Gemini, OpenAI-compatible) differ only in wire
// format; everything connls asks and checks is in LLM.
type Backend interface {
	// Name names the backend and model in messages ("gemini gemini-2.5-flash").
	Name() string
	// Complete returns the answer's JSON text.
	Complete(ctx context.Context, p Prompt) (string, error)
}

// Prompt is one question with the JSON schema of its answer.
type Prompt struct {
	System string
	User   string
	Schema map[string]any
}

// Limits of what is sent: the chunks that say most about the class, each
// cut to a size a model reads well.
const (
	maxChunks     = 6
	maxChunkBytes = 12_000
)

// ErrAuth marks a refused API key; no retry helps.
var ErrAuth = errors.New("the API key was refused")

// LLM is the generate.Assistant backed by a language model. It asks about each
// relevant documentation chunk, validates every answer against the class
// (attributes and endpoints that do not exist are dropped and reported)
// and turns what survives into a plan that connls's own emitter writes.
type LLM struct {
	Backend Backend
	Log     *zap.Logger
	// Timeout bounds one generation's questions together; 0 means two
	// minutes.
	Timeout time.Duration
}

var _ generate.Assistant = (*LLM)(nil)

func (l *LLM) log() *zap.Logger {
	if l.Log == nil {
		return zap.NewNop()
	}
	return l.Log
}

// ask sends one prompt per chunk (one prompt without documentation when
// there is none), reports progress per chunk, hands every answer to
// decode and returns the messages about those that failed.
func (l *LLM) ask(ctx context.Context, stage string, base Prompt, chunks []generate.DocChunk, progress analysis.Progress, decode func(string) error) ([]string, error) {
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	chunks = selectChunks(chunks)
	prompts := []Prompt{base}
	if len(chunks) > 0 {
		prompts = prompts[:0]
		for _, ch := range chunks {
			p := base
			p.User += fmt.Sprintf("\n\nDocumentation (%s, lines %d-%d, %q):\n%s", ch.File, ch.Start, ch.End, ch.Title, ch.Text)
			prompts = append(prompts, p)
		}
	}
	var notes []string
	answered := 0
	for i, p := range prompts {
		progress(stage, fmt.Sprintf("asking %s (%d of %d)", l.Backend.Name(), i+1, len(prompts)), i, len(prompts))
		start := time.Now()
		text, err := l.Backend.Complete(ctx, p)
		l.log().Debug("llm answer", zap.String("backend", l.Backend.Name()), zap.Int("chunk", i+1),
			zap.Int("promptBytes", len(p.User)), zap.Duration("took", time.Since(start)), zap.Bool("ok", err == nil))
		switch {
		case err != nil && ctx.Err() != nil:
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(context.Cause(ctx), context.Canceled) {
				return notes, fmt.Errorf("%s did not answer within %s", l.Backend.Name(), timeout)
			}
			return notes, ctx.Err()
		case errors.Is(err, ErrAuth):
			return notes, err // the same key fails every time
		case err != nil:
			notes = append(notes, fmt.Sprintf("%s: chunk %d of %d: %v", l.Backend.Name(), i+1, len(prompts), err))
			continue
		}
		if err := decode(text); err != nil {
			notes = append(notes, fmt.Sprintf("%s answered chunk %d of %d with malformed JSON (%v); ignored", l.Backend.Name(), i+1, len(prompts), err))
			continue
		}
		answered++
	}
	progress(stage, fmt.Sprintf("%s answered %d of %d", l.Backend.Name(), answered, len(prompts)), len(prompts), len(prompts))
	return notes, nil
}

// askJSON asks about every chunk and decodes the answers that are JSON
// of type T; it fails when none is.
func askJSON[T any](ctx context.Context, l *LLM, p Prompt, docs []generate.DocChunk, progress analysis.Progress) ([]T, []string, error) {
	var answers []T
	notes, err := l.ask(ctx, "ai", p, docs, progress, func(text string) error {
		var a T
		if err := strictJSON(text, &a); err != nil {
			return err
		}
		answers = append(answers, a)
		return nil
	})
	if err != nil {
		return nil, notes, err
	}
	if len(answers) == 0 {
		return nil, notes, fmt.Errorf("%s gave no usable answer", l.Backend.Name())
	}
	return answers, notes, nil
}

// selectChunks keeps the chunks that say most about the class (the
// longest, which hold the schema and the endpoints), in document order,
// each cut to maxChunkBytes.
func selectChunks(chunks []generate.DocChunk) []generate.DocChunk {
	if len(chunks) > maxChunks {
		idx := make([]int, len(chunks))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return len(chunks[idx[a]].Text) > len(chunks[idx[b]].Text) })
		idx = idx[:maxChunks]
		sort.Ints(idx)
		kept := make([]generate.DocChunk, 0, maxChunks)
		for _, i := range idx {
			kept = append(kept, chunks[i])
		}
		chunks = kept
	}
	out := make([]generate.DocChunk, len(chunks))
	for i, ch := range chunks {
		if len(ch.Text) > maxChunkBytes {
			cut := maxChunkBytes
			for cut > 0 && ch.Text[cut]&0xC0 == 0x80 {
				cut-- // not inside a UTF-8 sequence
			}
			ch.Text = ch.Text[:cut] + "\n[...]"
		}
		out[i] = ch
	}
	return out
}

// describeAttributes lists a class's attributes for a prompt.
func describeAttributes(c *analysis.Class, only func(*analysis.Attribute) bool) string {
	var b strings.Builder
	for _, a := range c.Attributes {
		if only != nil && !only(a) {
			continue
		}
		var flags []string
		for _, f := range []string{"required", "creatable", "updateable", "multiValued"} {
			if a.Flag(f) {
				flags = append(flags, f)
			}
		}
		t := a.Type
		if t == "" {
			t = "string"
		}
		fmt.Fprintf(&b, "- %s: %s (%s)\n", a.Name, t, strings.Join(flags, ", "))
	}
	return b.String()
}

// describeEvidence lists what the workspace says about how a class's
// objects are addressed, searched and updated: the same evidence the
// deterministic choice weighs.
func describeEvidence(c *analysis.Class) string {
	var b strings.Builder
	for _, k := range c.Keys() {
		fmt.Fprintf(&b, "- %s: %s (from %s:%d)\n", k.Attr.Name, k.Why(), k.Source.File, k.Source.Line)
	}
	for _, f := range c.Filters() {
		fmt.Fprintf(&b, "- %s: %s\n", f.Attr.Name, f.Why())
	}
	for _, e := range c.Endpoints {
		if e.Operation != "update" || e.Op == nil || e.Op.Class == nil {
			continue
		}
		var names []string
		for _, sa := range e.Supported {
			names = append(names, sa.Name)
		}
		fmt.Fprintf(&b, "- the script %s declares update endpoint %s %s supporting %s\n", e.Op.Class.Script.File.Path, e.Method, e.Path, strings.Join(names, ", "))
	}
	if b.Len() == 0 {
		return ""
	}
	return "\nEvidence from the workspace (the framework fills {id} of update and delete paths with the UID, and reads an object back by a filter on its UID; the attribute searches filter on is what people type):\n" + b.String()
}

const connIDSystem = `You help write a midPoint connector (ConnId) for a REST API.
For one object class, choose two of its attributes:
- uid: the identifier the resource assigns, unique and immutable (id, uuid, key).
- name: the human-readable unique identifier people log in or search with (login, userName, email, name).
They may be the same attribute only when the class has no other identifier.
Use only attribute names from the list given. Answer with JSON that follows the schema.`

var connIDSchema = map[string]any{
	"type": "object",
	"properties": map[string]any{
		"uid":    map[string]any{"type": "string", "description": "attribute name for UID"},
		"name":   map[string]any{"type": "string", "description": "attribute name for NAME"},
		"reason": map[string]any{"type": "string", "description": "one sentence"},
	},
	"required": []any{"uid", "name", "reason"},
}

type connIDAnswer struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// ReviseConnID asks the model for UID and NAME and keeps the answer the
// most chunks agree on among those that name real attributes.
func (l *LLM) ReviseConnID(ctx context.Context, c *analysis.Class, in *generate.ConnIDPlan, docs []generate.DocChunk, progress analysis.Progress) (*generate.ConnIDPlan, []string, error) {
	user := fmt.Sprintf("Object class: %s\nAttributes:\n%s", c.Name, describeAttributes(c, nil)) + describeEvidence(c)
	if in != nil && in.UID != "" {
		user += fmt.Sprintf("\nA rule-based choice was UID %s (%s), NAME %s (%s)", in.UID, strings.Join(in.UIDReasons, ", "), in.NameText(), strings.Join(in.NAMEReasons, ", "))
		if in.UIDRunnerUp != "" || in.NAMERunnerUp != "" {
			user += fmt.Sprintf(" (close runner-ups: UID %q, NAME %q)", in.UIDRunnerUp, in.NAMERunnerUp)
		}
		user += "; correct it if the documentation says otherwise.\n"
	}
	answers, notes, err := askJSON[connIDAnswer](ctx, l, Prompt{System: connIDSystem, User: user, Schema: connIDSchema}, docs, progress)
	if err != nil {
		return nil, notes, err
	}
	// Validate every answer; count votes for the valid pairs.
	type pair struct{ uid, name string }
	votes := map[pair]int{}
	var order []pair
	reasons := map[pair]string{}
	dropped := map[string]bool{}
	for _, a := range answers {
		uid, name := c.Attribute(strings.TrimSpace(a.UID)), c.Attribute(strings.TrimSpace(a.Name))
		if uid == nil {
			dropped[fmt.Sprintf("UID %q", a.UID)] = true
		}
		if name == nil && !(in != nil && in.CopyName != "" && a.Name == in.CopyName) {
			dropped[fmt.Sprintf("NAME %q", a.Name)] = true
		}
		if uid == nil || name == nil {
			continue
		}
		if uid.MultiValued {
			dropped[fmt.Sprintf("UID %q (multi-valued)", uid.Name)] = true
			continue
		}
		k := pair{uid.Name, name.Name}
		if votes[k] == 0 {
			order = append(order, k)
			reasons[k] = a.Reason
		}
		votes[k]++
	}
	for _, d := range slices.Sorted(maps.Keys(dropped)) {
		notes = append(notes, fmt.Sprintf("%s named %s, which %s does not have: dropped", l.Backend.Name(), d, c.Name))
	}
	if len(order) == 0 {
		return nil, notes, fmt.Errorf("%s named no attribute of %s", l.Backend.Name(), c.Name)
	}
	best := order[0]
	for _, k := range order[1:] {
		if votes[k] > votes[best] {
			best = k
		}
	}
	p := &generate.ConnIDPlan{Class: c.Name, UID: best.uid, NAME: best.name, Source: l.Backend.Name()}
	why := "chosen by " + l.Backend.Name()
	if r := strings.TrimSpace(reasons[best]); r != "" {
		why += ": " + generate.OneLine(r, 200)
	}
	p.UIDReasons, p.NAMEReasons = []string{why}, []string{why}
	p.UIDMain, p.NAMEMain = "chosen by "+l.Backend.Name(), "chosen by "+l.Backend.Name()
	if in != nil && in.UID == best.uid {
		p.UserChosenUID = in.UserChosenUID
	}
	p.Settle(c, c.Attribute(best.uid), best.uid == best.name)
	if in != nil && (in.UID != p.UID || in.NameText() != p.NameText()) {
		notes = append(notes, fmt.Sprintf("%s changed the choice from UID %s, NAME %s", l.Backend.Name(), in.UID, in.NameText()))
	}
	return p, notes, nil
}

const updateSystem = `You help write a midPoint connector (ConnId) for a REST API.
For one object class, name the endpoints that update an existing object:
the main update (PATCH preferred over PUT, on the item path with its id
placeholder) and action endpoints that set one attribute (POST .../lock
setting locked to true). For each, list the attributes it accepts, using
only names from the attribute list; for an action, give the value it sets
as Groovy source ("text", true, 3). Use only endpoints the documentation
shows. Answer with JSON that follows the schema.`

var updateSchema = map[string]any{
	"type": "object",
	"properties": map[string]any{
		"endpoints": map[string]any{
			"type": "array",
			"items": map[string]any{
				"type": "object",
				"properties": map[string]any{
					"method":              map[string]any{"type": "string", "enum": []any{"PATCH", "PUT", "POST"}},
					"path":                map[string]any{"type": "string"},
					"supportedAttributes": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
					"value":               map[string]any{"type": "string"},
				},
				"required": []any{"method", "path", "supportedAttributes"},
			},
		},
		"reason": map[string]any{"type": "string"},
	},
	"required": []any{"endpoints", "reason"},
}

type updateAnswer struct {
	Endpoints []struct {
		Method    string   `json:"method"`
		Path      string   `json:"path"`
		Supported []string `json:"supportedAttributes"`
		Value     string   `json:"value"`
	} `json:"endpoints"`
	Reason string `json:"reason"`
}

// ReviseUpdate asks the model for the update endpoints and keeps those
// the documentation shows, with the attributes the scripts declare.
func (l *LLM) ReviseUpdate(ctx context.Context, c *analysis.Class, in *generate.UpdatePlan, docs []generate.DocChunk, progress analysis.Progress) (*generate.UpdatePlan, []string, error) {
	decl := map[string]bool{}
	for _, a := range generate.DeclaredAttributes(c) {
		decl[a.Name] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Object class: %s\nAttributes:\n%s", c.Name, describeAttributes(c, func(a *analysis.Attribute) bool { return decl[a.Name] }))
	b.WriteString(describeEvidence(c))
	if uid := generate.UIDOf(c); uid != "" {
		fmt.Fprintf(&b, "\nThe UID is %s: the framework fills {id} with its value.\n", uid)
	}
	if len(c.DocEndpoints) > 0 {
		b.WriteString("\nDocumented endpoints:\n")
		for _, e := range c.DocEndpoints {
			fmt.Fprintf(&b, "- %s %s (%s)\n", e.Method, e.Path, e.Operation)
		}
	}
	if in != nil && len(in.Endpoints) > 0 {
		b.WriteString("\nA rule-based choice was:")
		for _, e := range in.Endpoints {
			fmt.Fprintf(&b, " %s %s %v;", e.Method, e.Path, e.Supported)
		}
		b.WriteString(" correct it if the documentation says otherwise.\n")
	}
	sent := selectChunks(docs)
	answers, notes, err := askJSON[updateAnswer](ctx, l, Prompt{System: updateSystem, User: b.String(), Schema: updateSchema}, docs, progress)
	if err != nil {
		return nil, notes, err
	}
	plan := &generate.UpdatePlan{Class: c.Name, Source: l.Backend.Name()}
	index := map[string]int{}
	dropped := map[string]bool{}
	for _, a := range answers {
		for _, e := range a.Endpoints {
			method := strings.ToUpper(strings.TrimSpace(e.Method))
			path := strings.TrimSpace(e.Path)
			if method != "PATCH" && method != "PUT" && method != "POST" {
				dropped[fmt.Sprintf("endpoint %s %s (not an update method)", method, path)] = true
				continue
			}
			doc, ok := documented(c, sent, method, path)
			if !ok {
				dropped[fmt.Sprintf("endpoint %s %s (not in the documentation)", method, path)] = true
				continue
			}
			var supported []string
			for _, name := range e.Supported {
				if decl[name] {
					supported = append(supported, name)
				} else {
					dropped[fmt.Sprintf("attribute %q of %s %s (not declared)", name, method, path)] = true
				}
			}
			if len(supported) == 0 {
				dropped[fmt.Sprintf("endpoint %s %s (no declared attribute)", method, path)] = true
				continue
			}
			key := method + " " + generate.ItemPath(path)
			if i, ok := index[key]; ok {
				plan.Endpoints[i].Supported = addMissing(plan.Endpoints[i].Supported, supported)
				continue
			}
			pe := generate.PlannedEndpoint{Method: method, Path: generate.ItemPath(path), Supported: supported, Doc: doc,
				Comments: []string{fmt.Sprintf("%s %s, chosen by %s", method, path, l.Backend.Name())}}
			if method == "POST" && len(supported) == 1 && strings.TrimSpace(e.Value) != "" {
				pe.Value = strings.TrimSpace(e.Value)
			}
			index[key] = len(plan.Endpoints)
			plan.Endpoints = append(plan.Endpoints, pe)
		}
	}
	for _, d := range slices.Sorted(maps.Keys(dropped)) {
		notes = append(notes, fmt.Sprintf("%s named %s: dropped", l.Backend.Name(), d))
	}
	if len(plan.Endpoints) == 0 {
		return nil, notes, fmt.Errorf("%s named no documented update endpoint of %s", l.Backend.Name(), c.Name)
	}
	// The main update first, as connls writes it.
	sort.SliceStable(plan.Endpoints, func(i, j int) bool {
		return plan.Endpoints[i].Method != "POST" && plan.Endpoints[j].Method == "POST"
	})
	return plan, notes, nil
}

// documented reports whether an endpoint is one a script of the class
// declares, one the class's documents list, or one the documentation
// sent to the model names in its prose; it returns where.
func documented(c *analysis.Class, sent []generate.DocChunk, method, path string) (string, bool) {
	want := generate.ItemPath(path)
	for _, e := range c.Endpoints {
		if e.Operation == "update" && e.Method == method && generate.ItemPath(e.Path) == want && e.Op != nil && e.Op.Class != nil {
			return fmt.Sprintf("%s:%d", e.Op.Class.Script.File.Path, e.Range.Start.Line+1), true
		}
	}
	for _, e := range c.DocEndpoints {
		if e.Method == method && generate.ItemPath(e.Path) == want {
			return fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line), true
		}
	}
	for _, ch := range sent {
		if i := strings.Index(ch.Text, path); i >= 0 && strings.Contains(strings.ToUpper(ch.Text), method) {
			return fmt.Sprintf("%s:%d", ch.File, ch.Start+strings.Count(ch.Text[:i], "\n")), true
		}
	}
	return "", false
}

// strictJSON decodes one JSON object and nothing after it. Models like to
// wrap JSON in a Markdown fence; that much is forgiven.
func strictJSON(text string, v any) error {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "```") {
		text = strings.TrimPrefix(strings.TrimPrefix(text, "```json"), "```")
		text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "```"))
	}
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("text after the JSON object")
	}
	return nil
}

// addMissing appends to a the strings of b it does not hold yet.
func addMissing(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}
