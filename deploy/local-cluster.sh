#!/usr/bin/env bash
# Runs a local Ripcord cluster: N silos (default 3) on one PostgreSQL.
#
#   deploy/local-cluster.sh [silos]
#
# With RIPCORD_PG set to an Npgsql connection string, the silos use that database. Without it, a private
# PostgreSQL is started from the machine's binaries (bash .ci/postgres.sh installs them) in a temporary folder,
# and removed on exit. Silo i listens on http://127.0.0.1:$((5000 + i)); development API keys apply
# (dev-admin-key, dev-operator-key, dev-viewer-key, dev-agent-key). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

silos=${1:-3}
base_port=${RIPCORD_BASE_PORT:-5000}
work=$(mktemp -d /tmp/ripcord-cluster.XXXXXX)
pids=()

cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  if [ -n "${pg_data:-}" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

run_pg() {
  # PostgreSQL refuses to run as root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "${RIPCORD_PG:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pg_bin" ]; then pg_bin=$(dirname "$(command -v initdb)"); fi
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL binaries not found; run: bash .ci/postgres.sh" >&2; exit 1; }
  pg_port=${RIPCORD_PG_PORT:-55432}
  pg_data="$work/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; fi
  run_pg "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  run_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg.log" -w \
    -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  RIPCORD_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  echo "PostgreSQL on port $pg_port (data in $pg_data)"
fi

dotnet build src/Silo -c Release -v quiet -nologo >/dev/null
silo_dll=src/Silo/bin/Release/net10.0/Ripcord.Silo.dll
for i in $(seq 1 "$silos"); do
  port=$((base_port + i))
  ASPNETCORE_ENVIRONMENT=Development \
  Ripcord__Store__Kind=Postgres \
  Ripcord__Store__Postgres__ConnectionString="$RIPCORD_PG" \
  Ripcord__Runtime__SiloId="silo-$i" \
    dotnet "$silo_dll" --urls "http://127.0.0.1:$port" --contentRoot "$PWD/$(dirname "$silo_dll")" > "$work/silo-$i.log" 2>&1 &
  pids+=($!)
  echo "silo-$i on http://127.0.0.1:$port (log $work/silo-$i.log)"
done

for i in $(seq 1 "$silos"); do
  until curl -sf "http://127.0.0.1:$((base_port + i))/readyz" >/dev/null; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "silo-$i exited; see its log:" >&2; cat "$work/silo-$i.log" >&2; exit 1; }
    sleep 0.5
  done
done

echo "cluster ready: curl -H 'Authorization: Bearer dev-admin-key' http://127.0.0.1:$((base_port + 1))/api/v1/cluster"
echo "stop one silo hard to watch the others take over: kill -9 <pid> (pids: ${pids[*]})"
wait "${pids[@]}" || true
