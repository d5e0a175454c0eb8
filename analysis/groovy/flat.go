package groovy

// The smacker/go-tree-sitter wrapper costs a cgo call and a map insert for
// every node visited, which made converting a tree slower than parsing it.
// This file binds the few functions of the tree-sitter C runtime (compiled
// into that module) that parsing needs and walks the finished tree in C,
// once, into a flat array that Go then reads without crossing into C.
// The declarations match api.h of tree-sitter language version 14, the
// runtime vendored by the pinned go-tree-sitter version.

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef struct {
	uint32_t start_byte, old_end_byte, new_end_byte;
	TSPoint start_point, old_end_point, new_end_point;
} TSInputEdit;

extern const TSLanguage *tree_sitter_groovy(void);
TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *);
bool ts_parser_set_language(TSParser *, const TSLanguage *);
TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
void ts_parser_set_timeout_micros(TSParser *, uint64_t);
void ts_parser_set_cancellation_flag(TSParser *, const size_t *);
typedef struct {
	void *payload;
	void (*log)(void *payload, int log_type, const char *buffer);
} TSLogger;
void ts_parser_set_logger(TSParser *, TSLogger);
void ts_parser_reset(TSParser *);
void ts_tree_delete(TSTree *);
void ts_tree_edit(TSTree *, const TSInputEdit *);
TSNode ts_tree_root_node(const TSTree *);
uint32_t ts_language_symbol_count(const TSLanguage *);
const char *ts_language_symbol_name(const TSLanguage *, TSSymbol);
TSFieldId ts_language_field_id_for_name(const TSLanguage *, const char *, uint32_t);
TSSymbol ts_node_symbol(TSNode);
uint32_t ts_node_start_byte(TSNode);
uint32_t ts_node_end_byte(TSNode);
bool ts_node_is_named(TSNode);
bool ts_node_is_missing(TSNode);
TSTreeCursor ts_tree_cursor_new(TSNode);
void ts_tree_cursor_delete(TSTreeCursor *);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
bool ts_tree_cursor_goto_parent(TSTreeCursor *);

// A step budget counts what the parser does instead of timing it: the
// logger is called for every parse action and every character the lexer
// reads, the same calls on any machine under any load. Past the limit it
// raises the cancellation flag, which the parser checks every 100 actions.
typedef struct {
	size_t cancel;
	uint64_t steps, limit;
} step_budget;

static void count_step(void *payload, int log_type, const char *buffer) {
	step_budget *b = payload;
	if (++b->steps > b->limit) {
		b->cancel = 1;
	}
}

// parse_counted parses with a step budget; timeout_micros is only a
// backstop against a runaway that stops logging.
static TSTree *parse_counted(TSParser *p, const char *text, uint32_t len, uint64_t limit, uint64_t timeout_micros, uint64_t *steps) {
	step_budget b = {0, 0, limit};
	TSLogger counter = {&b, count_step};
	TSLogger none = {NULL, NULL};
	ts_parser_set_logger(p, counter);
	ts_parser_set_cancellation_flag(p, &b.cancel);
	ts_parser_set_timeout_micros(p, timeout_micros);
	TSTree *tree = ts_parser_parse_string(p, NULL, text, len);
	ts_parser_set_logger(p, none);
	ts_parser_set_cancellation_flag(p, NULL);
	*steps = b.steps;
	return tree;
}

typedef struct {
	uint32_t start, end; // byte offsets
	uint32_t after;      // index after the node's last descendant
	uint16_t symbol;
	uint16_t field;
	uint8_t flags;       // 1 named, 2 missing
} flat_node;

// flatten walks the tree in pre-order. The flags per symbol say whether
// to descend into a node (not for leaves: 1) and whether its children's
// field names are wanted (2). The nodes go into buf, of *bufcap nodes,
// which is grown with realloc as needed (NULL: a new buffer); the result
// is the buffer, malloc'ed, to be reused by the next call.
static flat_node *flatten(const TSTree *tree, const uint8_t *sym, uint32_t nsym, flat_node *buf, uint32_t *bufcap, uint32_t *count) {
	uint32_t cap = *bufcap, n = 0, depth = 0, scap = 256;
	if (!buf || cap == 0) {
		free(buf);
		cap = 4096;
		buf = malloc(cap * sizeof *buf);
	}
	uint32_t *stack = malloc(scap * sizeof *stack);
	*count = 0;
	*bufcap = buf ? cap : 0;
	if (!buf || !stack) { free(stack); return buf; }
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	bool wantField = false;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n == cap) {
			flat_node *nb = realloc(buf, 2 * cap * sizeof *buf);
			if (!nb) break;
			buf = nb;
			cap *= 2;
		}
		if (depth == scap) {
			scap *= 2;
			uint32_t *ns = realloc(stack, scap * sizeof *stack);
			if (!ns) break;
			stack = ns;
		}
		flat_node *f = &buf[n];
		f->start = ts_node_start_byte(node);
		f->end = ts_node_end_byte(node);
		f->symbol = ts_node_symbol(node);
		f->field = wantField ? ts_tree_cursor_current_field_id(&c) : 0;
		f->flags = (ts_node_is_named(node) ? 1 : 0) | (ts_node_is_missing(node) ? 2 : 0);
		f->after = 0;
		stack[depth++] = n++;
		uint8_t flags = f->symbol < nsym ? sym[f->symbol] : 0;
		if (!(flags & 1) && ts_tree_cursor_goto_first_child(&c)) {
			wantField = (flags & 2) != 0;
			continue;
		}
		bool done = false;
		for (;;) {
			buf[stack[--depth]].after = n;
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) { done = true; break; }
			uint32_t parent = depth >= 2 ? stack[depth - 2] : 0;
			wantField = depth >= 2 && buf[parent].symbol < nsym && (sym[buf[parent].symbol] & 2);
		}
		if (done) break;
	}
	while (depth > 0) buf[stack[--depth]].after = n;
	ts_tree_cursor_delete(&c);
	free(stack);
	*count = n;
	*bufcap = cap;
	return buf;
}
*/
import "C"

import (
	"sync"
	"time"
	"unsafe"

	_ "github.com/smacker/go-tree-sitter"        // the tree-sitter C runtime
	_ "github.com/smacker/go-tree-sitter/groovy" // the Groovy grammar
)

// flatNode is a node of the flattened tree, laid out as C's flat_node:
// the converter reads flatten's buffer in place.
type flatNode struct {
	start, end uint32
	after      uint32
	symbol     uint16
	field      uint16
	flags      uint8
}

func (n *flatNode) named() bool   { return n.flags&1 != 0 }
func (n *flatNode) missing() bool { return n.flags&2 != 0 }

const errorSymbol = 0xFFFF // ts_builtin_sym_error

var language = C.tree_sitter_groovy()

// tsParser owns a C parser and the last tree it built.
type tsParser struct {
	p    *C.TSParser
	tree *C.TSTree
	// flatBuf and flatCap are flatten's buffer, reused from tree to tree.
	flatBuf *C.flat_node
	flatCap C.uint32_t
	// toks and text are Parse's buffers for the prepass, kept for the
	// next script the parser reads.
	toks    []token
	text    []byte
	names   interner // the names and strings of the scripts it read
	stack   []*Node  // the converter's stack, empty between conversions
	parses  int      // parses run, for tests of what incremental parsing saves
	retries int      // parses retried with a step budget
	steps   uint64   // steps the last retry took
}

func newTSParser() *tsParser {
	p := C.ts_parser_new()
	C.ts_parser_set_language(p, language)
	return &tsParser{p: p}
}

// Budget bounds a parse. Some inputs send the grammar's error recovery
// into a search that does not end (found by FuzzParse: 84 bytes that
// never returned), so a parse must be able to give up. A parse first runs
// against the clock, which costs nothing; if the clock runs out, which
// under CPU load can happen to any statement, it runs again counting
// parser steps, so that whether a statement is read never depends on the
// machine's load.
type Budget struct {
	Time      time.Duration // the first attempt: this much
	TimeBytes time.Duration // and this much per byte of text
	Steps     int           // the retry: this many parser steps
	StepBytes int           // and this many per byte
	// Backstop bounds the retry in time too, in case a runaway stops
	// taking steps; 0 means fifty times the first attempt's time, at
	// least five seconds. A statement given up on by the backstop is the
	// only result that depends on load, and it is never kept.
	Backstop time.Duration
}

// DefaultBudget allows ten times the usual time, and steps far above what
// statements take: about 2.5 a byte when valid, at most 15 a byte in
// thousands of randomly broken ones, and fewer than 3,000 in all. The
// runaway FuzzParse found takes tens of microseconds a step and gives up
// within a second.
var DefaultBudget = Budget{Time: 100 * time.Millisecond, TimeBytes: 2 * time.Microsecond, Steps: 10_000, StepBytes: 50}

var (
	budgetMu sync.Mutex
	budget   = DefaultBudget
)

// SetBudget sets the parse budget and returns the previous one. Tests set
// tiny budgets to prove that results do not depend on the clock.
func SetBudget(b Budget) Budget {
	budgetMu.Lock()
	defer budgetMu.Unlock()
	old := budget
	budget = b
	return old
}

func currentBudget() Budget {
	budgetMu.Lock()
	defer budgetMu.Unlock()
	return budget
}

// outcome is how a parse ended.
type outcome uint8

const (
	parsed    outcome = iota
	tooLong           // more steps than the budget: the same on any machine
	outOfTime         // the backstop clock ran out: a matter of load
)

// parse parses text. Trees are not reused through ts_tree_edit:
// Incremental reuses whole statements instead, which also saves the walk.
func (tp *tsParser) parse(text []byte) outcome {
	var ptr *C.char
	if len(text) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&text[0]))
	}
	tp.parses++
	b := currentBudget()
	limit := b.Time + time.Duration(len(text))*b.TimeBytes
	C.ts_parser_set_timeout_micros(tp.p, C.uint64_t(max(limit.Microseconds(), 1)))
	tree := C.ts_parser_parse_string(tp.p, nil, ptr, C.uint32_t(len(text)))
	if tree == nil {
		C.ts_parser_reset(tp.p) // the retry starts afresh
		var steps C.uint64_t
		backstop := b.Backstop
		if backstop <= 0 {
			backstop = max(50*limit, 5*time.Second)
		}
		tree = C.parse_counted(tp.p, ptr, C.uint32_t(len(text)), C.uint64_t(b.Steps+len(text)*b.StepBytes), C.uint64_t(max(backstop.Microseconds(), 1)), &steps)
		tp.retries++
		tp.steps = uint64(steps)
	}
	tp.setTree(tree)
	if tree != nil {
		return parsed
	}
	C.ts_parser_reset(tp.p) // the next parse starts afresh
	if tp.steps > uint64(b.Steps+len(text)*b.StepBytes) {
		return tooLong
	}
	return outOfTime
}

func (tp *tsParser) setTree(tree *C.TSTree) {
	if tp.tree != nil {
		C.ts_tree_delete(tp.tree)
	}
	tp.tree = tree
}

// flat returns the last tree as a flat array. The array is the parser's
// own C memory, valid until its next call of flat or close: the nodes
// are read in place, not copied into the Go heap.
func (tp *tsParser) flat(leaf []uint8) []flatNode {
	if tp.tree == nil {
		return nil
	}
	var count C.uint32_t
	tp.flatBuf = C.flatten(tp.tree, (*C.uint8_t)(unsafe.Pointer(&leaf[0])), C.uint32_t(len(leaf)), tp.flatBuf, &tp.flatCap, &count)
	if tp.flatBuf == nil || count == 0 {
		return nil
	}
	return unsafe.Slice((*flatNode)(unsafe.Pointer(tp.flatBuf)), int(count))
}

// dropTree frees the last tree.
func (tp *tsParser) dropTree() {
	if tp.tree != nil {
		C.ts_tree_delete(tp.tree)
		tp.tree = nil
	}
}

// dropFlatAbove frees flat's buffer when it has room for more than max
// nodes.
func (tp *tsParser) dropFlatAbove(max int) {
	if tp.flatBuf != nil && int(tp.flatCap) > max {
		C.free(unsafe.Pointer(tp.flatBuf))
		tp.flatBuf, tp.flatCap = nil, 0
	}
}

func (tp *tsParser) close() {
	tp.dropTree()
	tp.dropFlatAbove(-1)
	if tp.p != nil {
		C.ts_parser_delete(tp.p)
		tp.p = nil
	}
}

// flatLayout reports whether flatNode is laid out as C's flat_node
// (flat_test.go checks it).
func flatLayout() bool {
	var g flatNode
	var c C.flat_node
	return unsafe.Sizeof(g) == unsafe.Sizeof(c) &&
		unsafe.Offsetof(g.start) == unsafe.Offsetof(c.start) && unsafe.Offsetof(g.end) == unsafe.Offsetof(c.end) &&
		unsafe.Offsetof(g.after) == unsafe.Offsetof(c.after) && unsafe.Offsetof(g.symbol) == unsafe.Offsetof(c.symbol) &&
		unsafe.Offsetof(g.field) == unsafe.Offsetof(c.field) && unsafe.Offsetof(g.flags) == unsafe.Offsetof(c.flags)
}

func symbolCount() int { return int(C.ts_language_symbol_count(language)) }

func symbolName(i int) string { return C.GoString(C.ts_language_symbol_name(language, C.TSSymbol(i))) }

func fieldID(name string) uint16 {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return uint16(C.ts_language_field_id_for_name(language, cs, C.uint32_t(len(name))))
}
