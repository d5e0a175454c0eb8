package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/connls/connls/lsp"
)

func newServeCmd() *cobra.Command {
	var logFile, logLevel string
	var llm llmFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the language server over stdio (LSP)",
		Long: `serve speaks the Language Server Protocol over stdin and stdout to an
editor: diagnostics for every workspace file, quick fixes, code actions that
generate connid and update scripts, hover, completion and navigation.
Logs go to stderr or --log-file, never to stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			softMemoryLimit(memoryFloor, false)
			log, closeLog, err := newLogger(logFile, logLevel)
			if err != nil {
				return err
			}
			defer closeLog()
			// An editor starts the server with its settings; a wrong LLM
			// setting must not cost the user the language server.
			var warnings []string
			assist, name, err := llm.assistant(cmd.Context(), log)
			if err != nil {
				log.Warn("LLM assistance is off", zap.Error(err))
				warnings = append(warnings, "LLM assistance is off: "+err.Error())
			}
			code := lsp.Serve(cmd.Context(), newStdio(), lsp.Options{Logger: log, Version: connlsVersion(), Assist: assist, AssistName: name, Warnings: warnings})
			if code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&logFile, "log-file", "", "write the log to this file instead of stderr")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	llm.register(cmd)
	return cmd
}

// stdio is the server's end of the pipe to the editor.
//
// Stdin is reopened in non-blocking mode so that it joins Go's network
// poller: only then does Close interrupt a pending Read. With a plain
// blocking descriptor, closing the connection after the exit
// notification waits for the editor to close its end of the pipe, and a
// client that waits for the process to exit first (vscode-languageclient
// does) waits forever.
type stdio struct {
	in, out *os.File
}

func newStdio() stdio {
	in := os.Stdin
	if err := syscall.SetNonblock(int(os.Stdin.Fd()), true); err == nil {
		in = os.NewFile(os.Stdin.Fd(), "/dev/stdin")
	}
	return stdio{in: in, out: os.Stdout}
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s stdio) Close() error {
	err := s.in.Close()
	if e := s.out.Close(); err == nil {
		err = e
	}
	return err
}

var _ io.ReadWriteCloser = stdio{}

// newLogger logs JSON lines to a file, or readable lines to stderr.
func newLogger(file, level string) (*zap.Logger, func(), error) {
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	if file == "" {
		enc := zap.NewDevelopmentEncoderConfig()
		core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(os.Stderr), lvl)
		return zap.New(core), func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	core := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(f), lvl)
	log := zap.New(core)
	return log, func() { log.Sync(); f.Close() }, nil
}
