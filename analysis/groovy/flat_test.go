package groovy

import "testing"

// The converter reads flatten's C buffer as flatNodes in place.
func TestFlatNodeLayout(t *testing.T) {
	if !flatLayout() {
		t.Fatal("flatNode is not laid out as C's flat_node")
	}
}
