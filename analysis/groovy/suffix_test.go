package groovy

import (
	"math/rand"
	"testing"
)

// TestCommonPrefixSuffix checks the word-at-a-time comparisons against
// byte-at-a-time ones, on texts that share a prefix and a suffix of
// every length around the word size.
func TestCommonPrefixSuffix(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	text := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[rng.Intn(2)]
		}
		return b
	}
	for range 2000 {
		pre, suf := text(rng.Intn(20)), text(rng.Intn(20))
		a := append(append(append([]byte{}, pre...), text(rng.Intn(12))...), suf...)
		b := append(append(append([]byte{}, pre...), text(rng.Intn(12))...), suf...)
		wantPre, wantSuf := 0, 0
		for wantPre < min(len(a), len(b)) && a[wantPre] == b[wantPre] {
			wantPre++
		}
		for wantSuf < min(len(a), len(b)) && a[len(a)-1-wantSuf] == b[len(b)-1-wantSuf] {
			wantSuf++
		}
		if got := commonPrefix(a, b); got != wantPre {
			t.Fatalf("commonPrefix(%q, %q) = %d, want %d", a, b, got, wantPre)
		}
		if got := commonSuffix(a, b); got != wantSuf {
			t.Fatalf("commonSuffix(%q, %q) = %d, want %d", a, b, got, wantSuf)
		}
	}
}
