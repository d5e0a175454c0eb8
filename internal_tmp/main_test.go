package internal_tmp

import (
	"math/rand"
	"testing"
	"os"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/connls/connls/bench/synth"
)

func BenchmarkLibOpenAPI10MB(b *testing.B) {
	doc := synth.OpenAPI(50, 20, 10<<20, rand.New(rand.NewSource(1)))
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		d, err := libopenapi.NewDocumentWithConfiguration(doc, &datamodel.DocumentConfiguration{})
		if err != nil { b.Fatal(err) }
		m, errs := d.BuildV3Model()
		if m == nil { b.Fatal(errs) }
	}
}

func BenchmarkLibOpenAPIRealSailpoint(b *testing.B) {
	doc, err := os.ReadFile("/work/shared/realworld/openapi/sailpoint-isc-v3.yaml")
	if err != nil { b.Skip() }
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		d, err := libopenapi.NewDocument(doc)
		if err != nil { b.Fatal(err) }
		m, errs := d.BuildV3Model()
		if m == nil { b.Fatal(errs) }
	}
}
