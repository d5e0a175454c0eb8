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

typedef struct {
	uint32_t start, end; // byte offsets
	uint32_t after;      // index after the node's last descendant
	uint16_t symbol;
	uint16_t field;
	uint8_t flags;       // 1 named, 2 missing
} flat_node;

// flatten walks the tree in pre-order. The flags per symbol say whether
// to descend into a node (not for leaves: 1) and whether its children's
// field names are wanted (2). The result is malloc'ed.
static flat_node *flatten(const TSTree *tree, const uint8_t *sym, uint32_t nsym, uint32_t *count) {
	uint32_t cap = 4096, n = 0, depth = 0, scap = 256;
	flat_node *buf = malloc(cap * sizeof *buf);
	uint32_t *stack = malloc(scap * sizeof *stack);
	if (!buf || !stack) { free(buf); free(stack); *count = 0; return NULL; }
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	bool wantField = false;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n == cap) {
			cap *= 2;
			flat_node *nb = realloc(buf, cap * sizeof *buf);
			if (!nb) break;
			buf = nb;
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
	return buf;
}
*/
import "C"

import (
	"unsafe"

	_ "github.com/smacker/go-tree-sitter"        // the tree-sitter C runtime
	_ "github.com/smacker/go-tree-sitter/groovy" // the Groovy grammar
)

// flatNode is a node of the flattened tree.
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
	p      *C.TSParser
	tree   *C.TSTree
	parses int // parses run, for tests of what incremental parsing saves
}

func newTSParser() *tsParser {
	p := C.ts_parser_new()
	C.ts_parser_set_language(p, language)
	return &tsParser{p: p}
}

// parseBudget bounds one parse: some inputs send the grammar's error
// recovery into a search that does not end (found by FuzzParse: 84 bytes
// that never returned). Ten times the usual speed is allowed.
func parseBudget(n int) C.uint64_t { return C.uint64_t(100_000 + 2*n) }

// parse parses text; it reports false when the parser gave up. Trees are
// not reused through ts_tree_edit: Incremental reuses whole statements
// instead, which also saves the walk.
func (tp *tsParser) parse(text []byte) bool {
	var ptr *C.char
	if len(text) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&text[0]))
	}
	tp.parses++
	C.ts_parser_set_timeout_micros(tp.p, parseBudget(len(text)))
	tree := C.ts_parser_parse_string(tp.p, nil, ptr, C.uint32_t(len(text)))
	if tp.tree != nil {
		C.ts_tree_delete(tp.tree)
	}
	tp.tree = tree
	if tree == nil {
		C.ts_parser_reset(tp.p) // the next parse starts afresh
		return false
	}
	return true
}

// flat returns the last tree as a flat array.
func (tp *tsParser) flat(leaf []uint8) []flatNode {
	if tp.tree == nil {
		return nil
	}
	var count C.uint32_t
	buf := C.flatten(tp.tree, (*C.uint8_t)(unsafe.Pointer(&leaf[0])), C.uint32_t(len(leaf)), &count)
	if buf == nil {
		return nil
	}
	defer C.free(unsafe.Pointer(buf))
	src := unsafe.Slice((*C.flat_node)(unsafe.Pointer(buf)), int(count))
	out := make([]flatNode, len(src))
	for i := range src {
		s := &src[i]
		out[i] = flatNode{start: uint32(s.start), end: uint32(s.end), after: uint32(s.after),
			symbol: uint16(s.symbol), field: uint16(s.field), flags: uint8(s.flags)}
	}
	return out
}

// dropTree frees the last tree.
func (tp *tsParser) dropTree() {
	if tp.tree != nil {
		C.ts_tree_delete(tp.tree)
		tp.tree = nil
	}
}

func (tp *tsParser) close() {
	tp.dropTree()
	if tp.p != nil {
		C.ts_parser_delete(tp.p)
		tp.p = nil
	}
}

func symbolCount() int { return int(C.ts_language_symbol_count(language)) }

func symbolName(i int) string { return C.GoString(C.ts_language_symbol_name(language, C.TSSymbol(i))) }

func fieldID(name string) uint16 {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return uint16(C.ts_language_field_id_for_name(language, cs, C.uint32_t(len(name))))
}
