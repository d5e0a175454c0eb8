package main

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ldflags string
		info    *debug.BuildInfo
		want    string
	}{
		{"ldflags win", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v0.9.0"}}, "v1.2.3"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Path: "github.com/connls/connls", Version: "v0.4.1"}}, "v0.4.1"},
		{"checkout with VCS stamp", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}, "dev-0123456789ab-dirty"},
		{"checkout without VCS", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"no build info", "", nil, "dev"},
	} {
		if got := versionOf(tc.ldflags, tc.info); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionCommand builds connls as go build does without -ldflags and
// with them: the first reports what the build info holds (a module
// version or a commit), the second the version it was given.
func TestVersionCommand(t *testing.T) {
	out, _, code := run(t, "version")
	if code != 0 || out != "connls dev\n" {
		t.Errorf("pinned build: exit %d %q", code, out)
	}
	bin := filepath.Join(t.TempDir(), "connls")
	build := exec.Command("go", "build", "-o", bin, ".")
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	got, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	// go version -m prints "\tmod\tgithub.com/connls/connls\tVERSION".
	var modVersion string
	for _, line := range strings.Split(string(info), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/connls/connls" {
			modVersion = f[2]
		}
	}
	v := strings.TrimSpace(strings.TrimPrefix(string(got), "connls "))
	switch {
	case modVersion != "" && modVersion != "(devel)":
		if v != modVersion {
			t.Errorf("version %q, build info says %q", v, modVersion)
		}
	case v == "" || !strings.HasPrefix(v, "dev"):
		t.Errorf("a checkout build without a module version reports %q", v)
	}
}
