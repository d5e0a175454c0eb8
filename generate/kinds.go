package generate

import (
	"context"
	"strings"

	"github.com/connls/connls/analysis"
)

// The generators beyond connid and update, each in its own file.
const (
	KindNative Kind = "native"
	KindSearch Kind = "search"
	KindCreate Kind = "create"
	KindDelete Kind = "delete"
	// KindAuthorization belongs to the connector, not to a class.
	KindAuthorization Kind = "authorization"
)

// moreKinds are the kinds ParseKind accepts besides connid and update,
// in the order a developer generates them.
var moreKinds = []Kind{KindNative, KindSearch, KindCreate, KindDelete, KindAuthorization, KindRelations}

// planMore are their planners.
var planMore = map[Kind]func(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error){
	KindNative: planNative,
	KindSearch: planSearch,
	KindCreate: planCreate,
	KindDelete: planDelete,
}

func moreKindsText() string {
	var names []string
	for _, k := range moreKinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}
