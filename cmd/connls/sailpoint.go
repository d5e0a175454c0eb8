package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/connls/connls/sailpoint"
)

func newSailPointCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sailpoint",
		Short: "Register the connector in a SailPoint Identity Security Cloud tenant",
	}
	var tenant string
	var apply, verbose bool
	register := &cobra.Command{
		Use:   "register [DIR] --tenant TENANT [--apply]",
		Short: "Create the custom connector described by sailpoint.connector.json (dry run by default)",
		Long: `register creates the custom connector that DIR/sailpoint.connector.json
describes, through the tenant's "Create custom connector" API
(POST /v3/connectors), and stores the scriptName the tenant answers back in
the file. When the file already holds a scriptName, the connector is read
(GET /v3/connectors/{scriptName}) instead of created twice.

Without --apply it prints the requests it would send. With --apply it
exchanges a personal access token (SAIL_CLIENT_ID and SAIL_CLIENT_SECRET
from the environment) for an access token at the tenant's /oauth/token.
429 answers are retried after their Retry-After; a create answered with a
server error is looked up by name before it is sent again. Tokens and the
secret are never printed, even with --verbose.

TENANT is the tenant name (acme for https://acme.api.identitynow.com) or
the API's URL.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			base, err := sailpoint.BaseURL(tenant)
			if err != nil {
				return err
			}
			f, err := sailpoint.Load(workspaceDir(args))
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !apply {
				fmt.Fprintf(out, "# dry run: the requests connls would send (add --apply to send them)\n\n%s", sailpoint.DryRun(base, f.Connector))
				if err := f.Err(); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "connls: --apply refuses to send the file as it is: %v\n", err)
				}
				return nil
			}
			c := &sailpoint.Client{Base: base, ClientID: os.Getenv("SAIL_CLIENT_ID"), ClientSecret: os.Getenv("SAIL_CLIENT_SECRET")}
			if verbose {
				c.Verbose = cmd.ErrOrStderr()
			}
			res, err := sailpoint.Register(cmd.Context(), c, f)
			if err != nil {
				return err
			}
			switch res.Action {
			case "existing":
				fmt.Fprintf(out, "connector %s exists (scriptName %s, status %s); nothing created\n", res.Connector.Name, res.Connector.ScriptName, res.Connector.Status)
			case "adopted":
				fmt.Fprintf(out, "connector %s was created despite the server error (scriptName %s); stored in %s\n", res.Connector.Name, res.Connector.ScriptName, f.File.Abs)
			default:
				fmt.Fprintf(out, "created connector %s (scriptName %s); stored in %s\n", res.Connector.Name, res.Connector.ScriptName, f.File.Abs)
			}
			return nil
		},
	}
	register.Flags().StringVar(&tenant, "tenant", "", "tenant name or API URL (required)")
	register.Flags().BoolVar(&apply, "apply", false, "send the requests (default: print them)")
	register.Flags().BoolVar(&verbose, "verbose", false, "print each request's method, URL and status (never a token)")
	cmd.AddCommand(register)
	return cmd
}
