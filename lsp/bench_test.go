package lsp_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/bench/synth"
)

// BenchmarkEditToDiagnostics measures, through the pipe to the real
// binary, the time from a didChange of a 5,000-line script in a
// 1,000-file workspace to the publishDiagnostics that answers it. Every
// other edit introduces an error and the next removes it, so every edit
// changes the diagnostics and must be answered. Reported: p50 and p99.
func BenchmarkEditToDiagnostics(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 250, Attributes: 12, Seed: 1, Files: 1000}); err != nil {
		b.Fatal(err)
	}
	big := filepath.Join(dir, "Big.native.schema.groovy")
	os.WriteFile(big, synth.BigScript(5000), 0o644)
	t := &testing.T{}
	c := start(t, opts{folders: []string{dir}, binary: true})
	b.Cleanup(func() {
		// A clean exit lets a --cpuprofile be written.
		c.call("shutdown", nil, nil)
		c.notify("exit", nil)
		c.exit()
	})

	c.waitFor("the first analysis", func(e event) bool { return e.method == "$/progress" && strings.Contains(string(e.params), `"end"`) })
	c.open(big)
	c.diagnostics(0, big, func(p protocol.PublishDiagnosticsParams) bool { v, _ := p.Version.Get(); return v == 1 })
	// One edit to warm up: the first one parses the whole script for
	// the incremental parser.
	m0 := c.mark()
	v0 := c.edit(big, `jsonType "string"`, `jsonType "string" `)
	c.diagnostics(m0, big, func(p protocol.PublishDiagnosticsParams) bool { got, _ := p.Version.Get(); return got == v0 })
	time.Sleep(120 * time.Millisecond)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		from, to := `jsonType "string"`, `jsonType "strin"`
		if i%2 == 1 {
			from, to = to, from
		}
		m := c.mark()
		startAt := time.Now()
		v := c.edit(big, from, to)
		c.diagnostics(m, big, func(p protocol.PublishDiagnosticsParams) bool { got, _ := p.Version.Get(); return got == v })
		lat = append(lat, time.Since(startAt))
		// Wait past the debounce window, as a typist pausing would: the
		// figure is the latency of one edit, not of a burst.
		time.Sleep(120 * time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(peakRSS(c), "peak-RSS-MB")
	if os.Getenv("CONNLS_BENCH_LOG") != "" {
		fmt.Println(c.stderrText())
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if os.Getenv("CONNLS_BENCH_LOG") != "" {
		fmt.Println(lat)
	}
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkColdStart measures, per iteration, a fresh server on the
// 1,000-file workspace with a 10 MB OpenAPI document: from starting the
// process to the diagnostics of the first opened script, which come once
// the whole workspace has been read and checked. Reported: the median,
// and the server's peak RSS.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 250, Attributes: 12, Seed: 1, Files: 1000, OpenAPIBytes: 10 << 20}); err != nil {
		b.Fatal(err)
	}
	// One mapping error, so that the opened script has diagnostics to
	// wait for; they are published once the workspace has been analysed.
	script := filepath.Join(dir, "Class000.connid.schema.groovy")
	os.WriteFile(script, []byte("objectClass(\"Class000\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"nmae\")\n}\n"), 0o644)
	var took []time.Duration
	var rss float64
	for b.Loop() {
		startAt := time.Now()
		c := start(b, opts{folders: []string{dir}, binary: true})
		c.open(script)
		c.diagnostics(0, script, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "mapped-attribute-missing") })
		took = append(took, time.Since(startAt))
		rss = max(rss, peakRSS(c))
		c.call("shutdown", nil, nil)
		c.notify("exit", nil)
		c.exit()
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(rss, "peak-RSS-MB")
}

// peakRSS is the high-water mark of the server's resident memory, read
// from /proc while it runs. (Its rusage after exit would not do: Linux
// carries the parent's high-water mark across fork and exec, so a child
// of this test process would report the test's own memory.)
func peakRSS(c *client) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
