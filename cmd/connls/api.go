package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/connls/connls/api"
)

// apiFlags are the options of `connls api`.
type apiFlags struct {
	listen, data, database, logFile, logLevel, logFormat string
	workers                                              int
	jobTimeout, shutdownTimeout                          time.Duration
	tokens                                               string
	oidc                                                 api.OIDCConfig
}

func newAPICmd() *cobra.Command {
	var f apiFlags
	cmd := &cobra.Command{
		Use:   "api --data DIR | --database URL [--listen 127.0.0.1:8090]",
		Short: "Serve the generation API of the midPilot connector generator over HTTP",
		Long: `api serves the connid and update generation API of the midPilot connector
generator (sessions, documentation upload, attribute and endpoint detection,
connid and update jobs, overrides) from the connls engine: offline and
deterministic. Both the seed's paths (/api/v1/session/{id}/classes/...) and
the service's current ones (/api/v1/digester/..., /api/v1/codegen/...) are
served; GET /openapi.json describes them, /healthz and /readyz are the
health checks.

With --data, sessions, documents and jobs are kept in DIR (bbolt, one
process) and survive restarts; a job that was running when the server
stopped is reported as failed. It listens on loopback unless told otherwise.

With --database (or CONNLS_DATABASE_URL), they are kept in PostgreSQL and the
jobs run on a River queue: start as many replicas as needed on one database;
a job whose replica dies is taken over by another. Every request then needs a
bearer token: --tokens FILE (lines "NAME sha256:HEX"; 'connls api token NAME'
makes one) and/or an OIDC issuer (--oidc-issuer, --oidc-audience and
--oidc-jwks-url). Credentials are also required whenever it listens beyond
loopback. A session belongs to the principal that created it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.database == "" {
				f.database = os.Getenv("CONNLS_DATABASE_URL")
			}
			return runAPI(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8090", "address to listen on")
	fl.StringVar(&f.data, "data", "", "directory of the embedded database (bbolt)")
	fl.StringVar(&f.database, "database", "", "PostgreSQL URL, postgres://user:password@host:5432/db (default $CONNLS_DATABASE_URL)")
	fl.IntVar(&f.workers, "workers", 4, "jobs this process runs at once")
	fl.DurationVar(&f.jobTimeout, "job-timeout", time.Minute, "a job running longer is cancelled (with --database: tried again; a dead replica's jobs are taken over after twice this)")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, how long running jobs may finish before they are cancelled (with --database: handed back)")
	fl.StringVar(&f.tokens, "tokens", "", "file of API tokens, one \"NAME sha256:HEX\" a line")
	fl.StringVar(&f.oidc.Issuer, "oidc-issuer", "", "accept bearer tokens (JWT) of this OIDC issuer")
	fl.StringVar(&f.oidc.Audience, "oidc-audience", "", "the audience the OIDC tokens must name")
	fl.StringVar(&f.oidc.JWKSURL, "oidc-jwks-url", "", "the issuer's signing keys (default: discovered from the issuer)")
	fl.StringVar(&f.oidc.Scope, "oidc-scope", "", "a scope the OIDC tokens must carry (403 without it)")
	fl.StringVar(&f.logFile, "log-file", "", "write the log to this file instead of stderr")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.StringVar(&f.logFormat, "log-format", "console", "log format on stderr: console or json")
	cmd.AddCommand(newAPITokenCmd())
	return cmd
}

func newAPITokenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "token NAME",
		Short: "Make an API token for --tokens: the token on stdout, the line for the file on stderr",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			token, line, err := api.NewToken(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			fmt.Fprintf(cmd.ErrOrStderr(), "# the line for the --tokens file (it holds only the hash):\n%s\n", line)
			return nil
		},
	}
}

func runAPI(cmd *cobra.Command, f apiFlags) error {
	if f.data == "" && f.database == "" {
		return errors.New("--data DIR or --database URL is required: where sessions and jobs are kept")
	}
	log, closeLog, err := apiLogger(f)
	if err != nil {
		return err
	}
	defer closeLog()
	host, _, err := net.SplitHostPort(f.listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", f.listen, err)
	}
	auth, err := apiAuth(cmd.Context(), f)
	if err != nil {
		return err
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	if auth == nil && (f.database != "" || !loopback) {
		return errors.New("a shared API needs credentials: with --database, or listening beyond loopback, give --tokens FILE or --oidc-issuer/--oidc-audience")
	}
	srv, err := api.New(api.Options{Data: f.data, Database: f.database, Workers: f.workers, JobTimeout: f.jobTimeout, Auth: auth, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		srv.Close()
		return err
	}
	hs := &http.Server{Handler: accessLog(log, srv), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		// Stop answering first, then stop taking jobs and let the running
		// ones finish (or hand them back) within the timeout.
		shut, cancel := context.WithTimeout(context.Background(), f.shutdownTimeout)
		defer cancel()
		hs.Shutdown(shut)
		if err := srv.Shutdown(shut); err != nil {
			log.Error("stopping", zap.Error(err))
		}
		log.Info("stopped")
	}()
	where := "data in " + f.data
	if f.database != "" {
		where = "database " + redact(f.database)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "connls api: listening on http://%s (%s)\n", ln.Addr(), where)
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-stopped
	return nil
}

// apiAuth builds the authenticator the flags ask for; nil for none.
func apiAuth(ctx context.Context, f apiFlags) (api.Authenticator, error) {
	var all api.AnyOf
	if f.tokens != "" {
		t, err := api.LoadStaticTokens(f.tokens)
		if err != nil {
			return nil, fmt.Errorf("--tokens: %w", err)
		}
		all = append(all, t)
	}
	if f.oidc.Issuer != "" || f.oidc.Audience != "" || f.oidc.JWKSURL != "" {
		o, err := api.NewOIDC(ctx, f.oidc)
		if err != nil {
			return nil, fmt.Errorf("--oidc-issuer: %w", err)
		}
		all = append(all, o)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

func apiLogger(f apiFlags) (*zap.Logger, func(), error) {
	if f.logFormat != "console" && f.logFormat != "json" {
		return nil, nil, fmt.Errorf("--log-format %q: console or json", f.logFormat)
	}
	if f.logFormat == "console" || f.logFile != "" {
		return newLogger(f.logFile, f.logLevel) // a log file is JSON already
	}
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	core := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.Lock(os.Stderr), lvl)
	log := zap.New(core)
	return log, func() { log.Sync() }, nil
}

// redact hides the password of a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a PostgreSQL URL)"
	}
	return u.Redacted()
}

// accessLog logs each request: method, path, status, time, never a header
// (the Authorization header carries the token).
func accessLog(log *zap.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			return // the load balancer's checks would drown the rest
		}
		log.Info("request", zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.Int("status", rec.status), zap.Duration("took", time.Since(start)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
