package internal_tmp

import (
	"math/rand"
	"testing"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/connls/connls/bench/synth"
	"gopkg.in/yaml.v3"
)

func BenchmarkNewDocOnly(b *testing.B) {
	doc := synth.OpenAPI(50, 20, 10<<20, rand.New(rand.NewSource(1)))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := libopenapi.NewDocumentWithConfiguration(doc, &datamodel.DocumentConfiguration{SkipCircularReferenceCheck: true})
		if err != nil { b.Fatal(err) }
		if d.GetSpecInfo().RootNode == nil { b.Fatal("no root") }
	}
}

func BenchmarkYAMLv3(b *testing.B) {
	doc := synth.OpenAPI(50, 20, 10<<20, rand.New(rand.NewSource(1)))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(doc, &n); err != nil { b.Fatal(err) }
	}
}
