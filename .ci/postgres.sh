#!/usr/bin/env bash
# Installs the PostgreSQL server binaries (initdb, pg_ctl) the test fixture starts a private server with,
# unless they are already there. Source it or run it from .ci/run before the tests.
set -euo pipefail

have_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || command -v initdb > /dev/null
}

if have_postgres; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends postgresql

if ! have_postgres; then
  echo "postgresql installed but initdb is still missing" >&2
  exit 1
fi
