package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// runTTY runs connls with stdout and stderr on a pseudo-terminal, as a
// person at a terminal would, and returns what the terminal showed.
func runTTY(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(connls, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 400})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&out, f) // ends with EIO when the process exits
		close(done)
	}()
	cmd.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal output did not end")
	}
	return strings.ReplaceAll(out.String(), "\r\n", "\n")
}

// TestCheckAtATerminal: on a terminal the findings are coloured and end
// with the summary line; NO_COLOR turns the colour off; --quiet leaves
// the findings alone.
func TestCheckAtATerminal(t *testing.T) {
	if v, ok := os.LookupEnv("NO_COLOR"); ok {
		os.Unsetenv("NO_COLOR")
		defer os.Setenv("NO_COLOR", v)
	}
	out := runTTY(t, nil, "check", "testdata/broken")
	if !strings.Contains(out, "\033[31merror\033[0m connid-name") || !strings.Contains(out, "\033[33mwarning\033[0m") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	want := "\033[31m10 errors\033[0m, \033[33m3 warnings\033[0m, \033[36m1 info\033[0m in 8 of 10 files\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("the terminal output does not end with the summary %q:\n%q", want, out)
	}

	plain := runTTY(t, []string{"NO_COLOR=1"}, "check", "testdata/broken")
	if strings.Contains(plain, "\033[") {
		t.Errorf("colour despite NO_COLOR:\n%q", plain)
	}
	golden(t, "check.broken.text", strings.TrimSuffix(plain, "10 errors, 3 warnings, 1 info in 8 of 10 files\n"))

	quiet := runTTY(t, []string{"NO_COLOR=1"}, "check", "--quiet", "testdata/broken")
	if quiet != strings.TrimSuffix(plain, "10 errors, 3 warnings, 1 info in 8 of 10 files\n") {
		t.Errorf("--quiet:\n%q", quiet)
	}
	if clean := runTTY(t, []string{"NO_COLOR=1"}, "check", "testdata/ticketdesk"); !strings.HasPrefix(clean, "no problems in ") {
		t.Errorf("clean workspace at a terminal: %q", clean)
	}
}

// TestCheckSummaryOffTerminal: with stdout not a terminal, stdout is what
// it always was (the goldens) and the summary goes to stderr, unless
// --quiet.
func TestCheckSummaryOffTerminal(t *testing.T) {
	out, stderr, _ := run(t, "check", "testdata/broken")
	golden(t, "check.broken.text", out)
	if stderr != "10 errors, 3 warnings, 1 info in 8 of 10 files\n" {
		t.Errorf("stderr %q", stderr)
	}
	_, stderr, _ = run(t, "check", "--quiet", "testdata/broken")
	if stderr != "" {
		t.Errorf("--quiet: stderr %q", stderr)
	}
	_, stderr, code := run(t, "check", "testdata/ticketdesk")
	if code != 0 || !strings.HasPrefix(stderr, "no problems in ") {
		t.Errorf("clean: exit %d %q", code, stderr)
	}
}

// TestProgressBar draws only on a terminal and only after a second.
func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	bar := &progressBar{w: &b, tty: true, start: time.Now()}
	bar.update("read", "", 1, 4)
	if b.Len() != 0 {
		t.Errorf("drawn before a second: %q", b.String())
	}
	bar.start = time.Now().Add(-2 * time.Second)
	bar.update("read", "", 2, 4)
	if !strings.Contains(b.String(), "read   [===============               ] 2/4") {
		t.Errorf("after a second: %q", b.String())
	}
	bar.done()
	if !strings.HasSuffix(b.String(), "\r\033[K") {
		t.Errorf("the bar is not cleared: %q", b.String())
	}
	b.Reset()
	bar.update("read", "", 3, 4)
	if b.Len() != 0 {
		t.Errorf("drawn after done: %q", b.String())
	}
	for _, off := range []*progressBar{
		{w: &b, tty: false, start: time.Now().Add(-time.Hour)},
		{w: &b, tty: true, off: true, start: time.Now().Add(-time.Hour)},
	} {
		off.update("read", "", 1, 2)
	}
	if b.Len() != 0 {
		t.Errorf("drawn off a terminal or with --quiet: %q", b.String())
	}
}
