package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set by the build (-ldflags "-X main.version=..."); when it
// is not, the version comes from the build info, which `go install
// module@version` fills with the module's version.
var version = ""

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the connls version",
		Long: `version prints the version of connls: the one the build set with
-ldflags "-X main.version=...", else the module version that "go install
github.com/connls/connls/cmd/connls@VERSION" recorded, else the commit of
a build from a checkout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "connls %s\n", connlsVersion())
			return nil
		},
	}
}

// connlsVersion is the version every output reports (the version
// command, SARIF's tool version, the language server's serverInfo).
func connlsVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

// versionOf chooses the version: the one set by -ldflags, the main
// module's version from the build info ("(devel)" means a build of a
// checkout, where the VCS stamp names the commit), else "dev".
func versionOf(ldflags string, info *debug.BuildInfo) string {
	if ldflags != "" {
		return ldflags
	}
	if info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return "dev-" + rev
}
