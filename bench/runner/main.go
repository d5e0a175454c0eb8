// Command runner runs every connls benchmark and prints the table that
// BENCHMARKS.md records: the Go benchmarks of each stage, the end-to-end
// LSP benchmarks through a pipe to the built binary, and `connls check`
// against tree-sitter alone on the same synthetic 1,000-file workspace.
//
//	go run ./bench/runner [-count 5] [-out bench/out]
//
// Figures are medians over -count runs; these machines are noisy.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/groovy"

	"github.com/connls/connls/bench/synth"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "synth" {
		// In a process of its own, so that the runner stays small: the
		// peak RSS Linux reports for a child includes its parent's at fork.
		size, _ := strconv.Atoi(os.Args[3])
		if _, err := synth.Write(os.Args[2], synth.Options{Classes: 250, Attributes: 12, Seed: 1, Files: 1000, OpenAPIBytes: size}); err != nil {
			fmt.Fprintln(os.Stderr, "synth:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "spin" {
		// Load for the findings-under-load check: one busy loop per core
		// until killed.
		for i := 1; i < runtime.NumCPU(); i++ {
			go spin()
		}
		spin()
	}
	if len(os.Args) == 3 && os.Args[1] == "tsparse" {
		// The floor that `connls check` is compared with: read and parse
		// every script with tree-sitter alone, as many at once as check.
		if err := treeSitterOnly(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "tsparse:", err)
			os.Exit(1)
		}
		return
	}
	count := flag.Int("count", 5, "runs per figure; the median is reported")
	out := flag.String("out", "bench/out", "directory for the binary, the workspaces and the results")
	flag.Parse()
	if err := run(*count, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// A figure is one measured quantity, with its samples.
type figure struct {
	name, unit string
	samples    []float64
}

func (f *figure) median() float64 {
	s := append([]float64(nil), f.samples...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

type results struct {
	order []string
	byKey map[string]*figure
}

func (r *results) add(name, unit string, v float64) {
	key := name + " " + unit
	f, ok := r.byKey[key]
	if !ok {
		f = &figure{name: name, unit: unit}
		r.byKey[key] = f
		r.order = append(r.order, key)
	}
	f.samples = append(f.samples, v)
}

func (r *results) get(name, unit string) float64 {
	if f, ok := r.byKey[name+" "+unit]; ok {
		return f.median()
	}
	return 0
}

func run(count int, out string) error {
	start := time.Now()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	out, _ = filepath.Abs(out)
	res := &results{byKey: map[string]*figure{}}
	bin := filepath.Join(out, "connls")
	step("building connls")
	if err := command("go", "build", "-o", bin+".linked", "./cmd/connls").Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	if err := installCopy(bin+".linked", bin); err != nil {
		return err
	}

	self, err := os.Executable()
	if err != nil {
		return err
	}
	step("writing the synthetic workspaces")
	plain, withDoc := filepath.Join(out, "ws1000"), filepath.Join(out, "ws1000-openapi10mb")
	for _, w := range []struct {
		dir  string
		size int
	}{{plain, 0}, {withDoc, 10 << 20}} {
		os.RemoveAll(w.dir)
		if err := command(self, "synth", w.dir, strconv.Itoa(w.size)).Run(); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	// The real SailPoint ISC descriptions, when ../shared/realworld is
	// there: each in a folder with one script (check wants connector
	// files), so that the figure is the document's.
	var real []struct{ name, dir string }
	for _, d := range []struct{ name, file string }{
		{"check SailPoint ISC v3 YAML (3.8 MB) alone", "sailpoint-isc-v3.yaml"},
		{"check SailPoint ISC v2024 JSON (3.8 MB) alone", "sailpoint-isc-v2024.json"},
	} {
		text, err := os.ReadFile(filepath.Join(realWorldDir(), "openapi", d.file))
		if err != nil {
			step("skipping " + d.file + ": " + err.Error())
			continue
		}
		dir := filepath.Join(out, "real-"+strings.TrimSuffix(d.file, filepath.Ext(d.file)))
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		os.WriteFile(filepath.Join(dir, d.file), text, 0o644)
		os.WriteFile(filepath.Join(dir, "Probe.native.schema.groovy"), []byte("objectClass(\"Probe\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n"), 0o644)
		real = append(real, struct{ name, dir string }{d.name, dir})
	}
	res.add("the runner itself (counted in its children's peak RSS)", "peak-RSS-MB", selfRSS())
	step(fmt.Sprintf("connls check and tree-sitter alone, %d runs each", count))
	for i := 0; i < count; i++ {
		for _, m := range []struct {
			name string
			argv []string
		}{
			{"check 1,000 files", []string{bin, "check", "--fail-on", "none", plain}},
			{"tree-sitter alone, same files", []string{self, "tsparse", plain}},
			{"check 1,000 files + 10 MB OpenAPI", []string{bin, "check", "--fail-on", "none", withDoc}},
		} {
			wall, rss, err := measure(m.argv)
			if err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			res.add(m.name, "ms", wall)
			res.add(m.name, "peak-RSS-MB", rss)
		}
		for _, r := range real {
			wall, rss, err := measure([]string{bin, "check", "--fail-on", "none", r.dir})
			if err != nil {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			res.add(r.name, "ms", wall)
			res.add(r.name, "peak-RSS-MB", rss)
		}
	}

	step("findings idle and under load")
	same, runs, err := findingsUnderLoad(bin, self, plain, filepath.Join(out, "big"), count)
	if err != nil {
		return err
	}
	res.add("check runs under load whose findings equal the idle run's", "runs", float64(same))
	res.add("check runs under load", "runs", float64(runs))

	step("Go benchmarks of each stage")
	counts := strconv.Itoa(count)
	for _, b := range []struct{ pkg, pattern, benchtime, count string }{
		{"./analysis/dsl", "ParseOnly|ReadScript5000|IncrementalEdit", "", counts},
		{"./analysis", "ReanalyzeAfterEdit", "", counts},
		{"./analysis/docs", "OpenAPI10MB|SailPoint", "", counts},
		{"./generate", "GeneratePerClass", "", counts},
		{"./lsp", "EditToDiagnostics", "300x", "3"},
		{"./lsp", "ColdStart", "3x", counts},
	} {
		args := []string{"test", "-run", "^$", "-bench", b.pattern, "-benchmem", "-count", b.count}
		if b.benchtime != "" {
			args = append(args, "-benchtime", b.benchtime)
		}
		cmd := command("go", append(args, b.pkg)...)
		var buf bytes.Buffer
		cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go test -bench %s %s: %w", b.pattern, b.pkg, err)
		}
		parseBench(&buf, res)
	}

	table := report(res, count, time.Since(start))
	fmt.Print(table)
	return os.WriteFile(filepath.Join(out, "results.md"), []byte(table), 0o644)
}

// throughPipe are the benchmarks that drive the server binary: their
// figures are the custom metrics; ns/op and allocations are the client's.
var throughPipe = map[string]bool{"EditToDiagnostics": true, "ColdStart": true}

// parseBench reads `go test -bench` output: a name, the iterations, then
// value-unit pairs.
func parseBench(r io.Reader, res *results) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if throughPipe[name] && (fields[i+1] == "ns/op" || fields[i+1] == "B/op" || fields[i+1] == "allocs/op") {
				continue // the test client's own time and memory, not the server's
			}
			res.add(name, fields[i+1], v)
		}
	}
}

// measure runs a command and returns its wall time in milliseconds and
// its peak resident memory in MB (which includes the runner's own at the
// fork: see selfRSS).
func measure(argv []string) (float64, float64, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	wall := float64(time.Since(t).Microseconds()) / 1000
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024
	}
	return wall, rss, nil
}

// installCopy copies the linked binary to where it is measured from, as
// an installer would. Peak RSS counts the binary's mapped file pages, and
// how many of those a run maps depends on how the page cache holds the
// file: straight after the linker wrote it (through mmap), every run of
// the 65 MB build of 3 December mapped about 45 MB of it; a copy written
// with write(2), or the same file after the cache is dropped, about 28 MB. The copy
// measures what a user's installed binary does, not the linker's leftover.
func installCopy(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	os.Remove(to)
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	// Through write(2): io.Copy between files would use copy_file_range.
	if _, err := io.Copy(struct{ io.Writer }{dst}, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Remove(from)
}

// findingsUnderLoad checks the 1,000-file workspace and a folder with the
// 5,000-line script while the machine is idle, then count times each
// while busy loops occupy every core, and counts the loaded runs whose
// findings are byte for byte the idle run's: no finding may depend on
// timing (a parse that runs out of its first, timed attempt is retried
// counting parser steps; see groovy.Budget).
func findingsUnderLoad(bin, self, plain, big string, count int) (same, runs int, err error) {
	os.RemoveAll(big)
	if err := os.MkdirAll(big, 0o755); err != nil {
		return 0, 0, err
	}
	if err := os.WriteFile(filepath.Join(big, "Big.native.schema.groovy"), synth.BigScript(5000), 0o644); err != nil {
		return 0, 0, err
	}
	findings := func(dir string) ([]byte, error) {
		out, err := exec.Command(bin, "check", "--format", "json", "--fail-on", "none", "--quiet", dir).Output()
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", dir, err)
		}
		return out, nil
	}
	dirs := []string{plain, big}
	idle := map[string][]byte{}
	for _, d := range dirs {
		if idle[d], err = findings(d); err != nil {
			return 0, 0, err
		}
	}
	load := exec.Command(self, "spin")
	// The loops die with the runner, however it ends.
	load.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := load.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { load.Process.Kill(); load.Wait() }()
	time.Sleep(200 * time.Millisecond) // let the loops take the cores
	for i := 0; i < count; i++ {
		for _, d := range dirs {
			got, err := findings(d)
			if err != nil {
				return 0, 0, err
			}
			runs++
			if bytes.Equal(got, idle[d]) {
				same++
			} else {
				step(fmt.Sprintf("findings of %s under load differ from the idle run's", d))
			}
		}
	}
	return same, runs, nil
}

func spin() {
	for x := 0; ; x++ {
		_ = x
	}
}

// selfRSS is the runner's own high-water mark, which Linux also reports
// for each child it starts.
func selfRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// treeSitterOnly parses every Groovy file under dir with tree-sitter and
// nothing else, on GOMAXPROCS workers.
func treeSitterOnly(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".groovy") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	work := make(chan string)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := sitter.NewParser()
			defer p.Close()
			p.SetLanguage(groovy.GetLanguage())
			for f := range work {
				src, err := os.ReadFile(f)
				if err != nil {
					errs <- err
					return
				}
				tree := p.Parse(nil, src)
				if tree == nil {
					errs <- fmt.Errorf("%s: no tree", f)
					return
				}
				tree.Close()
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// report is the Markdown table: every figure, then the targets.
func report(res *results, count int, took time.Duration) string {
	var b strings.Builder
	commit, _ := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	fmt.Fprintf(&b, "commit %s, %d cores (GOMAXPROCS %d), %s/%s, medians of %d runs, %s in all\n\n",
		strings.TrimSpace(string(commit)), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, count, took.Round(time.Second))
	b.WriteString("| figure | unit | median | runs |\n|---|---|---:|---:|\n")
	for _, k := range res.order {
		f := res.byKey[k]
		fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", f.name, f.unit, num(f.median()), len(f.samples))
	}
	check := res.get("check 1,000 files", "ms")
	ts := res.get("tree-sitter alone, same files", "ms")
	rss := max(res.get("check 1,000 files + 10 MB OpenAPI", "peak-RSS-MB"), res.get("ColdStart", "peak-RSS-MB"), res.get("EditToDiagnostics", "peak-RSS-MB"))
	realMS := max(res.get("check SailPoint ISC v3 YAML (3.8 MB) alone", "ms"), res.get("check SailPoint ISC v2024 JSON (3.8 MB) alone", "ms"))
	realMB := max(res.get("check SailPoint ISC v3 YAML (3.8 MB) alone", "peak-RSS-MB"), res.get("check SailPoint ISC v2024 JSON (3.8 MB) alone", "peak-RSS-MB"))
	b.WriteString("\n| target | aim | measured | met |\n|---|---|---:|---|\n")
	for _, t := range []struct {
		name, aim string
		value     float64
		unit      string
		ok        bool
	}{
		{"edit-to-diagnostics p99, 5,000-line script, 1,000 files", "< 10 ms", res.get("EditToDiagnostics", "p99-ms"), "ms", res.get("EditToDiagnostics", "p99-ms") < 10},
		{"edit-to-diagnostics p50, same", "< 3 ms", res.get("EditToDiagnostics", "p50-ms"), "ms", res.get("EditToDiagnostics", "p50-ms") < 3},
		{"cold check, 1,000 files + 10 MB OpenAPI, 2 cores", "< 500 ms", res.get("check 1,000 files + 10 MB OpenAPI", "ms"), "ms", res.get("check 1,000 files + 10 MB OpenAPI", "ms") < 500},
		{"generation per class (connid + update)", "< 50 ms", res.get("GeneratePerClass", "ms/class"), "ms", res.get("GeneratePerClass", "ms/class") < 50},
		{"peak RSS (check with the 10 MB document, LSP cold start, LSP edits)", "< 100 MB", rss, "MB", rss < 100},
		{"connls check / tree-sitter alone, same 1,000 files", "≤ 1.5×", check / ts, "×", ts > 0 && check/ts <= 1.5},
		{"check of a real SailPoint description alone (slower of the two)", "< 150 ms", realMS, "ms", realMS > 0 && realMS < 150},
		{"peak RSS of that check", "< 50 MB", realMB, "MB", realMB > 0 && realMB < 50},
		{"check runs under load (every core busy) with the idle run's findings", "all", res.get("check runs under load whose findings equal the idle run's", "runs"), "of " + num(res.get("check runs under load", "runs")), res.get("check runs under load", "runs") > 0 && res.get("check runs under load whose findings equal the idle run's", "runs") == res.get("check runs under load", "runs")},
	} {
		met, value := "yes", num(t.value)+" "+t.unit
		switch {
		case t.value == 0 || math.IsNaN(t.value) || math.IsInf(t.value, 0):
			met, value = "not measured", "—"
		case !t.ok:
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.name, t.aim, value, met)
	}
	return b.String()
}

// realWorldDir is where the real public API documents are:
// $CONNLS_REALWORLD, else ../shared/realworld beside the repository.
func realWorldDir() string {
	if dir := os.Getenv("CONNLS_REALWORLD"); dir != "" {
		return dir
	}
	return filepath.Join("..", "shared", "realworld")
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd
}

func step(s string) { fmt.Fprintf(os.Stderr, "== %s\n", s) }
