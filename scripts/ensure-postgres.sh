#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, postgres) are installed:
# the API's PostgreSQL tests start a private cluster with them. Quick when
# they are there; as root on Debian/Ubuntu it installs the postgresql
# package, without creating or starting the system's own cluster. Elsewhere
# it says what to install, and the PostgreSQL tests skip.
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; then
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
	echo "ensure-postgres: PostgreSQL is not installed; install the postgresql package (the PostgreSQL tests skip without it)" >&2
	exit 0
fi
echo "ensure-postgres: installing PostgreSQL (Debian package postgresql)" >&2
# The tests run their own cluster: the package's default one is not wanted.
mkdir -p /etc/postgresql-common
if ! grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
	echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
