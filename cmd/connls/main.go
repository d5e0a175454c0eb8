// Command connls is the connector language server: an LSP server for
// editors, a checker for CI and a generator of connid and update scripts
// for Evolveum's connector-scimrest framework.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/connls/connls/generate"
)

// exitError carries an exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	// For the end-to-end tests of cancellation only: slow generation down.
	if d, err := time.ParseDuration(os.Getenv("CONNLS_TEST_STEP_DELAY")); err == nil {
		generate.StepDelay = d
	}
	root := newRoot()
	err := root.Execute()
	if perr := stopProfiles(); err == nil {
		err = perr
	}
	var ee exitError
	switch {
	case errors.As(err, &ee):
		os.Exit(ee.code)
	case err != nil:
		fmt.Fprintln(os.Stderr, "connls:", err)
		os.Exit(2)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "connls",
		Short: "The connector language server for connector-scimrest workspaces",
		Long: `connls reads a connector workspace (Groovy DSL scripts of Evolveum's
connector-scimrest framework, its manifest and the API documentation beside
them), validates the ConnId UID/NAME mappings and the DSL, and generates
connid and update scripts. It serves editors over LSP, CI through "check",
and tools through an HTTP API.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&profiles.cpu, "cpuprofile", "", "write a CPU profile of the run to this file (for performance work)")
	root.PersistentFlags().StringVar(&profiles.mem, "memprofile", "", "write a heap profile at the end of the run to this file")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return startProfiles() }
	root.AddCommand(newServeCmd(), newCheckCmd(), newInspectCmd(), newGenerateCmd(), newInitCmd(), newAPICmd(), newSailPointCmd(), newVersionCmd())
	return root
}

// workspaceDir returns the directory argument, or the current directory.
func workspaceDir(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return "."
}

// profiles are the --cpuprofile and --memprofile of a run.
var profiles struct {
	cpu, mem string
	cpuFile  *os.File
}

func startProfiles() error {
	if profiles.cpu == "" {
		return nil
	}
	f, err := os.Create(profiles.cpu)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	profiles.cpuFile = f
	return nil
}

// stopProfiles writes the profiles; main calls it whatever the command's
// outcome, so a check that fails still leaves its profile.
func stopProfiles() error {
	if profiles.cpuFile != nil {
		pprof.StopCPUProfile()
		if err := profiles.cpuFile.Close(); err != nil {
			return err
		}
	}
	if profiles.mem == "" {
		return nil
	}
	f, err := os.Create(profiles.mem)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}
