package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/connls/connls/api"
)

func newAPICmd() *cobra.Command {
	var listen, data, logFile, logLevel string
	var workers int
	cmd := &cobra.Command{
		Use:   "api --data DIR [--listen 127.0.0.1:8090]",
		Short: "Serve the generation API of the midPilot connector generator over HTTP",
		Long: `api serves the connid and update generation API of the midPilot connector
generator (sessions, documentation upload, attribute and endpoint detection,
connid and update jobs, overrides) from the connls engine: offline and
deterministic. Both the seed's paths (/api/v1/session/{id}/classes/...) and
the service's current ones (/api/v1/digester/..., /api/v1/codegen/...) are
served; GET /openapi.json describes them.

Sessions, documents and jobs are kept in DIR and survive restarts; a job that
was running when the server stopped is reported as failed. It listens on
loopback unless told otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" {
				return errors.New("--data DIR is required: the directory that keeps sessions and jobs")
			}
			log, closeLog, err := newLogger(logFile, logLevel)
			if err != nil {
				return err
			}
			defer closeLog()
			host, _, err := net.SplitHostPort(listen)
			if err != nil {
				return fmt.Errorf("--listen %q: %w", listen, err)
			}
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				log.Warn("listening beyond loopback: the API has no authentication", zap.String("listen", listen))
			}
			srv, err := api.New(api.Options{Data: data, Workers: workers, Log: log})
			if err != nil {
				return err
			}
			defer srv.Close()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				hs.Shutdown(shut)
			}()
			fmt.Fprintf(cmd.ErrOrStderr(), "connls api: listening on http://%s (data in %s)\n", ln.Addr(), data)
			if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8090", "address to listen on")
	cmd.Flags().StringVar(&data, "data", "", "directory of the database (required)")
	cmd.Flags().IntVar(&workers, "workers", 4, "jobs that run at once")
	cmd.Flags().StringVar(&logFile, "log-file", "", "write the log to this file instead of stderr")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return cmd
}
