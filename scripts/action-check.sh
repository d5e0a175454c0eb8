#!/usr/bin/env bash
# The check step of the connls GitHub Action (action.yml). It runs
# outside GitHub too (the tests run it on the sample workspaces): set
# CONNLS to the binary and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY to files.
#
#   INPUT_PATH        the folder to check (default .)
#   INPUT_FAIL_ON     error, warning, info or none (default error)
#   INPUT_SARIF       true to write a SARIF log for code scanning
#   INPUT_SARIF_FILE  where to write it (default connls.sarif)
#   INPUT_ANNOTATIONS false to print no annotations on the pull request
#
# It prints the findings as workflow commands (annotations), writes the
# SARIF log when asked, a summary line to the job summary, and the outputs
# status (the exit status of connls check), findings and sarif-file. It
# exits 0 when the check ran, whatever it found, so that the SARIF upload
# still runs; the action's last step fails the job on status 1. It exits 2
# when connls could not check the folder.
set -u

connls=${CONNLS:-connls}
path=${INPUT_PATH:-.}
fail_on=${INPUT_FAIL_ON:-error}
sarif=${INPUT_SARIF:-false}
sarif_file=${INPUT_SARIF_FILE:-connls.sarif}
annotations=${INPUT_ANNOTATIONS:-true}
output=${GITHUB_OUTPUT:-/dev/null}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

case "$fail_on" in
error | warning | info | none) ;;
*)
	echo "::error title=connls::fail-on must be error, warning, info or none, not '$fail_on'"
	exit 2
	;;
esac

if [ "$sarif" = true ]; then
	"$connls" check --format sarif --fail-on none --quiet "$path" >"$sarif_file"
	code=$?
	if [ "$code" -ne 0 ]; then
		echo "::error title=connls::connls check could not write SARIF (exit $code)"
		exit 2
	fi
	echo "sarif-file=$sarif_file" >>"$output"
fi

# One run gives the annotations, the exit status and the summary line.
err=$(mktemp)
trap 'rm -f "$err"' EXIT
if [ "$annotations" = true ]; then
	"$connls" check --format github --fail-on "$fail_on" "$path" 2>"$err"
else
	"$connls" check --format github --fail-on "$fail_on" "$path" >/dev/null 2>"$err"
fi
status=$?
if [ "$status" -ge 2 ]; then
	cat "$err" >&2
	echo "::error title=connls::connls check failed (exit $status): $(head -n 1 "$err")"
	exit 2
fi
line=$(tail -n 1 "$err")
echo "connls: $line"
findings=$(printf '%s\n' "$line" | awk '/^no problems/ { print 0; exit } { n = 0; for (i = 1; i < NF; i++) if ($(i + 1) ~ /^(error|warning|info|hint)/) n += $i; print n }')
{
	echo "status=$status"
	echo "findings=$findings"
} >>"$output"
{
	echo "### connls check"
	echo
	echo "$line (fail on: $fail_on)"
} >>"$summary"
exit 0
