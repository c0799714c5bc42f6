#!/usr/bin/env bash
# A Ripcord cluster on this machine: one private PostgreSQL and N Orleans silos on loopback ports sharing it
# (Orleans' ADO.NET clustering joins every silo with the same cluster id into one cluster).
# See `cluster.sh help` and docs/deploy.md.
set -euo pipefail

readonly DEFAULT_SILOS=3
readonly MAX_SILOS=16
readonly ROLES=(admin operator viewer agent)

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
STATE=${RIPCORD_CLUSTER_DIR:-$REPO/.ripcord/cluster}
SERVICE_USER=${RIPCORD_CLUSTER_USER:-ripcord}
READY_TIMEOUT=${RIPCORD_CLUSTER_READY_TIMEOUT:-180}
STOP_TIMEOUT=${RIPCORD_CLUSTER_STOP_TIMEOUT:-45}
PG_TIMEOUT=${RIPCORD_CLUSTER_PG_TIMEOUT:-60}
# Shared by every silo of this cluster. The database is private to the state folder, so fixed ids are enough.
readonly CLUSTER_ID=${Ripcord__Cluster__ClusterId:-ripcord-local}
readonly SERVICE_ID=${Ripcord__Cluster__ServiceId:-ripcord}

usage() {
  cat <<EOF
Usage: deploy/local/cluster.sh COMMAND [ARG]

  start [N]      start a private PostgreSQL and silos 1..N (default $DEFAULT_SILOS) on loopback, sample agents on;
                 silo N is named silo-N and gets its own HTTP, silo-to-silo and gateway ports; all share one
                 Orleans cluster (id $CLUSTER_ID). Builds the silo first when none of this cluster's silos runs;
                 waits until every silo's /readyz answers, then prints each silo's URL and the API keys. Running
                 parts are kept, so 'start' again restarts only what is down (a killed silo comes back under its
                 old name on its old ports).
  stop           stop every silo (SIGTERM, then up to ${STOP_TIMEOUT}s to drain, then SIGKILL) and PostgreSQL.
  status         show what runs. Exit 0: everything started runs and is ready; 1: something is down; 3: nothing runs.
  kill N         SIGKILL silo N (failover drills); 'start' brings it back.
  env [ROLE] [N] print shell exports for the CLI: RIPCORD_SERVER (silo N, default 1) and RIPCORD_API_KEY of ROLE
                 (admin, operator, viewer or agent; default admin). Use: eval "\$(deploy/local/cluster.sh env)"
  clean          stop, then delete the cluster's state (database, keys, logs).
  help           this text.

State (database, keys, logs, pids): \$RIPCORD_CLUSTER_DIR, default <repo>/.ripcord/cluster (git-ignored).
Environment: RIPCORD_PG_BIN (folder with initdb and pg_ctl), RIPCORD_CLUSTER_USER (the user PostgreSQL runs as
when this runs as root; default ripcord, created if missing), RIPCORD_CLUSTER_READY_TIMEOUT (s, default 180),
RIPCORD_CLUSTER_STOP_TIMEOUT (s, default 45), RIPCORD_CLUSTER_NO_BUILD=1 (reuse the last build).
Ripcord__* and ASPNETCORE_ENVIRONMENT variables set in your environment reach every silo and win over this
script's defaults (Ripcord__Cluster__ClusterId=ripcord-local, __ServiceId=ripcord),
except the connection string, the API keys and each silo's name and ports (Ripcord__Cluster__SiloName,
__SiloPort, __GatewayPort), which the script owns.
EOF
}

die() {
  echo "cluster.sh: error: $*" >&2
  exit 1
}

note() {
  echo "cluster.sh: $*" >&2
}

usage_error() {
  echo "cluster.sh: $*" >&2
  echo "Run 'deploy/local/cluster.sh help' for usage." >&2
  exit 2
}

random_hex() {
  # $1: number of random bytes.
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

is_root() {
  [[ $(id -u) -eq 0 ]]
}

# ---------------------------------------------------------------------------------------------------------------
# Processes, identified by pid and start time, so a recycled pid is never taken for ours.

proc_start_time() {
  # $1: pid. Prints the process's start time in clock ticks since boot (field 22 of /proc/PID/stat); fails for a
  # process that is gone or a zombie (killed, not yet reaped by its parent).
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # After the command name, field 3 (state) is the first; start time is field 22, the 20th from here.
  awk '$1 == "Z" || $1 == "X" { exit 1 } { print $20 }' <<<"$stat"
}

record_process() {
  # $1: record file, $2: pid.
  local started=""
  if [[ -d /proc ]]; then
    started=$(proc_start_time "$2" || true)
  fi
  printf '%s %s\n' "$2" "$started" >"$1"
}

recorded_pid() {
  # $1: record file. Prints the pid when the recorded process still runs.
  local pid started now
  [[ -f $1 ]] || return 1
  read -r pid started <"$1" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -d /proc ]]; then
    now=$(proc_start_time "$pid") || return 1
    [[ -z $started || $now == "$started" ]] || return 1
  fi
  echo "$pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Ports.

RESERVED_PORTS=()

port_free() {
  # A port is free when nothing accepts a connection on it and this run has not handed it out.
  local p
  for p in "${RESERVED_PORTS[@]+"${RESERVED_PORTS[@]}"}"; do
    [[ $p == "$1" ]] && return 1
  done
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
  # Prints a free loopback port below the usual ephemeral range.
  local try port
  for try in $(seq 1 200); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if port_free "$port"; then
      echo "$port"
      return 0
    fi
    : "$try"
  done
  die "found no free loopback port between 20000 and 32000"
}

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL.

find_pg_bin() {
  local dir
  if [[ -n ${RIPCORD_PG_BIN:-} ]]; then
    [[ -x $RIPCORD_PG_BIN/initdb && -x $RIPCORD_PG_BIN/pg_ctl ]] \
      || die "RIPCORD_PG_BIN=$RIPCORD_PG_BIN holds no initdb and pg_ctl; point it at PostgreSQL's bin folder."
    echo "$RIPCORD_PG_BIN"
    return
  fi
  dir=$(find "${RIPCORD_PG_LIB:-/usr/lib/postgresql}" -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $dir && -x $(dirname "$dir")/pg_ctl ]]; then
    dirname "$dir"
    return
  fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH.
  Install them: 'sudo apt-get install postgresql' (Debian, Ubuntu), 'sudo dnf install postgresql-server' (Fedora),
  'brew install postgresql' (macOS); or set RIPCORD_PG_BIN to the folder holding initdb and pg_ctl."
}

ensure_service_user() {
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    return
  fi
  command -v useradd >/dev/null || die "PostgreSQL refuses to run as root and user '$SERVICE_USER' does not exist; create it (useradd) or set RIPCORD_CLUSTER_USER to an existing user."
  note "creating system user '$SERVICE_USER' to run PostgreSQL (it refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICE_USER" \
    || die "could not create user '$SERVICE_USER'; create it yourself or set RIPCORD_CLUSTER_USER."
}

pg_dir() {
  # Where the data folder lives: recorded at first start; under the state folder unless the service user
  # cannot reach it (a repository under /root, say), then under /var/tmp.
  if [[ -f $STATE/pg.dir ]]; then
    cat "$STATE/pg.dir"
    return
  fi
  local dir=$STATE/pg parent
  if is_root && ! runuser -u "$SERVICE_USER" -- test -x "$STATE" 2>/dev/null; then
    # mktemp: a fresh folder with an unguessable name, so nobody can plant a link there beforehand.
    parent=$(mktemp -d /var/tmp/ripcord-cluster-XXXXXXXX) || die "could not create a folder in /var/tmp for the database"
    chmod 755 "$parent"
    dir=$parent/pg
  fi
  echo "$dir" >"$STATE/pg.dir"
  echo "$dir"
}

as_pg() {
  # Runs a PostgreSQL tool from the data folder's parent, as the service user when this runs as root.
  local tool=$1
  shift
  if is_root; then
    (cd "$PG_DIR" && runuser -u "$SERVICE_USER" -- "$PG_BIN/$tool" "$@")
  else
    (cd "$PG_DIR" && "$PG_BIN/$tool" "$@")
  fi
}

pg_running() {
  [[ -f $PG_DIR/data/PG_VERSION ]] && as_pg pg_ctl -D "$PG_DIR/data" status >/dev/null 2>&1
}

pg_port() {
  cat "$STATE/pg.port" 2>/dev/null || true
}

init_pg() {
  if [[ -f $PG_DIR/data/PG_VERSION ]]; then
    [[ -s $STATE/pg.password ]] || die "the database in $PG_DIR has no password file; run 'cluster.sh clean' and start again."
    return
  fi
  note "initializing PostgreSQL in $PG_DIR/data"
  mkdir -p "$PG_DIR"
  chmod 700 "$PG_DIR"
  rm -rf "$PG_DIR/data"
  if is_root; then
    chown "$SERVICE_USER:" "$PG_DIR"
  fi
  local password
  password=$(random_hex 24)
  (umask 077 && printf '%s\n' "$password" >"$PG_DIR/pwfile")
  if is_root; then
    chown "$SERVICE_USER:" "$PG_DIR/pwfile"
  fi
  if ! as_pg initdb -D "$PG_DIR/data" -U ripcord --pwfile="$PG_DIR/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 9>&-; then
    rm -f "$PG_DIR/pwfile"
    tail -n 20 "$PG_DIR/initdb.log" >&2 || true
    die "initdb failed; its log is $PG_DIR/initdb.log"
  fi
  rm -f "$PG_DIR/pwfile"
  (umask 077 && printf '%s\n' "$password" >"$STATE/pg.password")
  # Loopback only; the socket lives in the private data folder's parent, which only the service user can enter.
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF

# Ripcord local cluster (deploy/local/cluster.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 128MB
EOF
}

start_pg() {
  local port try
  if pg_running; then
    note "PostgreSQL already runs on port $(pg_port)"
    return
  fi
  for try in 1 2 3 4 5; do
    port=$(pg_port)
    if [[ -z $port ]] || ! port_free "$port"; then
      port=$(pick_port)
    fi
    note "starting PostgreSQL on 127.0.0.1:$port"
    if as_pg pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -o "-p $port" -w -t "$PG_TIMEOUT" start >/dev/null 2>&1 9>&-; then
      echo "$port" >"$STATE/pg.port"
      ensure_database "$port"
      return
    fi
    : "$try"
    pg_running && break
    rm -f "$STATE/pg.port"
  done
  tail -n 20 "$PG_DIR/server.log" >&2 2>/dev/null || true
  die "PostgreSQL did not start; its log is $PG_DIR/server.log"
}

ensure_database() {
  local exists
  exists=$(as_pg psql -h "$PG_DIR" -p "$1" -U ripcord -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'ripcord'" 9>&-) \
    || die "cannot query PostgreSQL on port $1; its log is $PG_DIR/server.log"
  if [[ $exists != 1 ]]; then
    as_pg createdb -h "$PG_DIR" -p "$1" -U ripcord ripcord 9>&- || die "could not create the database 'ripcord'"
  fi
}

stop_pg() {
  if ! pg_running; then
    return
  fi
  if as_pg pg_ctl -D "$PG_DIR/data" -m fast -w -t "$PG_TIMEOUT" stop >/dev/null 2>&1; then
    echo "postgres stopped"
  else
    die "PostgreSQL did not stop within ${PG_TIMEOUT}s; see $PG_DIR/server.log"
  fi
}

connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=ripcord;Username=ripcord;Password=%s;Maximum Pool Size=40' \
    "$(pg_port)" "$(cat "$STATE/pg.password")"
}

# ---------------------------------------------------------------------------------------------------------------
# Keys.

ensure_keys() {
  [[ -s $STATE/keys.env ]] && return
  local role
  (
    umask 077
    {
      echo "# API keys of the local Ripcord cluster, one per role (principal local-<role>)."
      for role in "${ROLES[@]}"; do
        printf 'RIPCORD_%s_KEY=rk_%s_%s\n' "${role^^}" "$role" "$(random_hex 20)"
      done
    } >"$STATE/keys.env"
  )
}

key_of() {
  # $1: role.
  local name="RIPCORD_${1^^}_KEY" line
  while IFS= read -r line; do
    if [[ $line == "$name="* ]]; then
      echo "${line#*=}"
      return
    fi
  done <"$STATE/keys.env"
  die "no key for role '$1' in $STATE/keys.env"
}

# ---------------------------------------------------------------------------------------------------------------
# Silos.

silo_dir() {
  echo "$STATE/silos/$1"
}

silo_pid() {
  local dir
  dir=$(silo_dir "$1")
  recorded_pid "$dir/pid"
}

known_silos() {
  # Prints the numbers of every silo this cluster ever started, ascending.
  [[ -d $STATE/silos ]] || return 0
  find "$STATE/silos" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | grep -E '^[0-9]+$' | sort -n || true
}

any_silo_running() {
  local i
  for i in $(known_silos); do
    silo_pid "$i" >/dev/null && return 0
  done
  return 1
}

build_silo() {
  if [[ ${RIPCORD_CLUSTER_NO_BUILD:-0} == 1 && -f $STATE/bin/Ripcord.Silo.dll ]]; then
    note "using the last build in $STATE/bin"
    return
  fi
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK."
  note "building the silo (dotnet build -c Release src/Silo); log in $STATE/build.log"
  rm -rf "$STATE/bin.new"
  if ! dotnet build "$REPO/src/Silo/Ripcord.Silo.csproj" -c Release -o "$STATE/bin.new" --nologo -v q \
    --disable-build-servers >"$STATE/build.log" 2>&1 9>&-; then
    tail -n 30 "$STATE/build.log" >&2 || true
    die "building the silo failed; the log is $STATE/build.log"
  fi
  # Silos run from a copy of their own, so later builds of the repository cannot change files under them.
  rm -rf "${STATE:?}/bin"
  mv "$STATE/bin.new" "$STATE/bin"
}

assign_port() {
  # $1: silo folder, $2: the file recording the port (http-port, silo-port, gateway-port). Keeps the recorded port
  # while it is free, else picks a free one; records and reserves it. Not to be run in a command substitution: the
  # reservation must reach this shell, so the next port of this run differs.
  local port
  port=$(cat "$1/$2" 2>/dev/null || true)
  if [[ -z $port ]] || ! port_free "$port"; then
    port=$(pick_port)
  fi
  RESERVED_PORTS+=("$port")
  echo "$port" >"$1/$2"
}

start_silo() {
  # $1: silo number. Starts it unless it runs; does not wait for readiness.
  local i=$1 dir pid port silo_port gateway_port url silo_name role k=0
  dir=$(silo_dir "$i")
  mkdir -p "$dir"
  if pid=$(silo_pid "$i"); then
    note "silo $i already runs (pid $pid)"
    return
  fi
  assign_port "$dir" http-port
  assign_port "$dir" silo-port
  assign_port "$dir" gateway-port
  port=$(cat "$dir/http-port")
  silo_port=$(cat "$dir/silo-port")
  gateway_port=$(cat "$dir/gateway-port")
  url=http://127.0.0.1:$port
  echo "$url" >"$dir/url"
  silo_name=silo-$i
  echo "$silo_name" >"$dir/silo-id"
  printf '\n===== silo %s (%s) starting at %s: http %s, silo port %s, gateway port %s =====\n' \
    "$i" "$silo_name" "$(date -u +%FT%TZ)" "$port" "$silo_port" "$gateway_port" >>"$dir/silo.log"
  (
    cd "$STATE/bin"
    export ASPNETCORE_URLS=$url
    export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
    export Ripcord__Store__Kind=${Ripcord__Store__Kind:-Postgres}
    export Ripcord__SampleAgents__Enabled=${Ripcord__SampleAgents__Enabled:-true}
    # Npgsql logs every command it runs at Information; the silo logs stay readable without them.
    export Logging__LogLevel__Npgsql=${Logging__LogLevel__Npgsql:-Warning}
    export Ripcord__Cluster__ClusterId=$CLUSTER_ID
    export Ripcord__Cluster__ServiceId=$SERVICE_ID
    export Ripcord__Cluster__SiloName=$silo_name
    export Ripcord__Cluster__SiloPort=$silo_port
    export Ripcord__Cluster__GatewayPort=$gateway_port
    Ripcord__SampleAgents__ApiKey=$(key_of agent)
    export Ripcord__SampleAgents__ApiKey
    Ripcord__Store__Postgres__ConnectionString=$(connection_string)
    export Ripcord__Store__Postgres__ConnectionString
    for role in "${ROLES[@]}"; do
      export "Ripcord__Auth__ApiKeys__${k}__Key=$(key_of "$role")"
      export "Ripcord__Auth__ApiKeys__${k}__Principal=local-$role"
      export "Ripcord__Auth__ApiKeys__${k}__Roles__0=$role"
      k=$((k + 1))
    done
    # setsid: the silo gets a session of its own, so it outlives this script and the terminal's signals.
    exec setsid dotnet Ripcord.Silo.dll </dev/null >>"$dir/silo.log" 2>&1 9>&-
  ) &
  pid=$!
  # Not a job of this shell: no "Killed"/"Aborted" notices when it ends.
  disown "$pid" 2>/dev/null || true
  record_process "$dir/pid" "$pid"
  note "silo $i ($silo_name) starting: $url, silo port $silo_port, gateway port $gateway_port (pid $pid)"
}

wait_ready() {
  # $@: silo numbers. Waits until each answers /readyz; fails fast when one exits.
  local pending=("$@") still i url deadline=$((SECONDS + READY_TIMEOUT))
  while ((${#pending[@]} > 0)); do
    still=()
    for i in "${pending[@]}"; do
      url=$(cat "$(silo_dir "$i")/url")
      if ! silo_pid "$i" >/dev/null; then
        tail -n 30 "$(silo_dir "$i")/silo.log" >&2 || true
        die "silo $i exited while starting; its log is $(silo_dir "$i")/silo.log ('cluster.sh stop' stops what did start)"
      fi
      if curl -fsS -m 2 -o /dev/null "$url/readyz" 2>/dev/null; then
        note "silo $i ready: $url"
      else
        still+=("$i")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    if ((${#pending[@]} > 0)); then
      if ((SECONDS >= deadline)); then
        for i in "${pending[@]}"; do
          tail -n 15 "$(silo_dir "$i")/silo.log" >&2 || true
        done
        die "silo(s) ${pending[*]} not ready within ${READY_TIMEOUT}s (GET /readyz); logs in $STATE/silos/N/silo.log ('cluster.sh stop' stops what did start)"
      fi
      sleep 0.5
    fi
  done
}

stop_silos() {
  local i pid started waiting=() still deadline
  for i in $(known_silos); do
    if pid=$(silo_pid "$i"); then
      kill -TERM "$pid" 2>/dev/null || true
      waiting+=("$i")
    else
      rm -f "$(silo_dir "$i")/pid"
    fi
  done
  ((${#waiting[@]} > 0)) || return 0
  note "stopping silo(s) ${waiting[*]} (SIGTERM; up to ${STOP_TIMEOUT}s to drain)"
  started=$SECONDS
  deadline=$((SECONDS + STOP_TIMEOUT))
  while ((${#waiting[@]} > 0)); do
    still=()
    for i in "${waiting[@]}"; do
      if silo_pid "$i" >/dev/null; then
        still+=("$i")
      else
        echo "silo $i stopped gracefully ($((SECONDS - started))s)"
        rm -f "$(silo_dir "$i")/pid"
      fi
    done
    waiting=("${still[@]+"${still[@]}"}")
    if ((${#waiting[@]} > 0)); then
      if ((SECONDS >= deadline)); then
        for i in "${waiting[@]}"; do
          if pid=$(silo_pid "$i"); then
            kill -KILL "$pid" 2>/dev/null || true
          fi
          echo "silo $i did not stop within ${STOP_TIMEOUT}s: sent SIGKILL (forced)"
          rm -f "$(silo_dir "$i")/pid"
        done
        return 0
      fi
      sleep 0.2
    fi
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Commands.

lock() {
  mkdir -p "$STATE"
  # The marker lets 'clean' delete only a folder this script made.
  touch "$STATE/.ripcord-cluster"
  if command -v flock >/dev/null; then
    exec 9>"$STATE/lock"
    flock -w 600 9 || die "another cluster.sh holds $STATE/lock"
  fi
}

setup_pg_context() {
  PG_BIN=$(find_pg_bin)
  if is_root; then
    command -v runuser >/dev/null || die "running as root needs runuser (util-linux) to start PostgreSQL as '$SERVICE_USER'."
    ensure_service_user
  fi
  PG_DIR=$(pg_dir)
}

warn_obsolete_settings() {
  # Settings of the silo's runtime before Orleans: still set in a shell from old instructions, they would be
  # ignored without a word.
  local name
  while IFS= read -r name; do
    case $name in
      Ripcord__Runtime__* | Ripcord__Store__Postgres__HeartbeatInterval | Ripcord__Store__Postgres__LeaseDuration | \
        Ripcord__Store__Postgres__MaintenanceInterval)
        note "warning: $name is set but the silo no longer reads it (see docs/deploy.md, Configuration)"
        ;;
    esac
  done < <(compgen -e)
}

cmd_start() {
  local n=$1 i pids=()
  # Every prerequisite is checked before anything is created.
  command -v curl >/dev/null || die "curl is needed to wait for the silos' /readyz; install it (apt-get install curl)."
  find_pg_bin >/dev/null
  if [[ ${RIPCORD_CLUSTER_NO_BUILD:-0} != 1 ]]; then
    command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK."
  fi
  warn_obsolete_settings
  lock
  setup_pg_context
  init_pg
  start_pg
  ensure_keys
  if any_silo_running; then
    [[ -f $STATE/bin/Ripcord.Silo.dll ]] || die "silos run but $STATE/bin is gone; run 'cluster.sh stop' first."
    note "silos of this cluster run already; the others start from the same build (stop all to rebuild)"
  else
    build_silo
  fi
  for i in $(seq 1 "$n"); do
    start_silo "$i"
    pids+=("$i")
  done
  wait_ready "${pids[@]}"
  print_summary "$n"
}

print_summary() {
  local n=$1 i role extra=()
  echo "Ripcord cluster is up; state in $STATE"
  echo "  postgres  127.0.0.1:$(pg_port)  database ripcord  (connection string: cluster.sh env --connection-string)"
  echo "  Orleans cluster id $CLUSTER_ID, service id $SERVICE_ID"
  for i in $(seq 1 "$n"); do
    printf '  silo %s  %s  pid %s  name %s  silo port %s  gateway port %s\n' "$i" "$(cat "$(silo_dir "$i")/url")" \
      "$(silo_pid "$i" || echo '-')" "$(cat "$(silo_dir "$i")/silo-id")" "$(cat "$(silo_dir "$i")/silo-port")" \
      "$(cat "$(silo_dir "$i")/gateway-port")"
  done
  for i in $(known_silos); do
    if ((i > n)) && silo_pid "$i" >/dev/null; then
      extra+=("$i")
    fi
  done
  if ((${#extra[@]} > 0)); then
    echo "  (silo(s) ${extra[*]} from an earlier start run too; 'status' lists them)"
  fi
  echo "API keys (principal local-<role>; also in $STATE/keys.env):"
  for role in "${ROLES[@]}"; do
    printf '  %-9s %s\n' "$role" "$(key_of "$role")"
  done
  echo "CLI:  eval \"\$(deploy/local/cluster.sh env admin)\"; ripcord cases list"
  echo "Stop: deploy/local/cluster.sh stop"
}

cmd_stop() {
  if [[ ! -d $STATE ]]; then
    echo "no cluster state in $STATE; nothing to stop"
    return 0
  fi
  lock
  stop_silos
  if [[ -f $STATE/pg.dir ]]; then
    setup_pg_context
    stop_pg
  fi
  echo "cluster stopped"
}

cmd_status() {
  local i pid url up=0 down=0 ready
  if [[ ! -d $STATE ]]; then
    echo "no cluster in $STATE"
    return 3
  fi
  if [[ -f $STATE/pg.dir ]]; then
    setup_pg_context
    if pg_running; then
      echo "postgres running port=$(pg_port) data=$PG_DIR/data"
      up=$((up + 1))
    else
      echo "postgres stopped data=$PG_DIR/data"
      down=$((down + 1))
    fi
  fi
  for i in $(known_silos); do
    url=$(cat "$(silo_dir "$i")/url" 2>/dev/null || echo '-')
    if pid=$(silo_pid "$i"); then
      ready=no
      if curl -fsS -m 2 -o /dev/null "$url/readyz" 2>/dev/null; then
        ready=yes
      fi
      echo "silo $i running pid=$pid url=$url name=$(cat "$(silo_dir "$i")/silo-id") silo-port=$(cat "$(silo_dir "$i")/silo-port")" \
        "gateway-port=$(cat "$(silo_dir "$i")/gateway-port") ready=$ready"
      up=$((up + 1))
      [[ $ready == yes ]] || down=$((down + 1))
    elif [[ -f $(silo_dir "$i")/pid ]]; then
      echo "silo $i dead url=$url (its process is gone; 'start' restarts it)"
      down=$((down + 1))
    else
      echo "silo $i stopped url=$url"
    fi
  done
  if ((up == 0)); then
    return 3
  fi
  if ((down > 0)); then
    return 1
  fi
  return 0
}

cmd_kill() {
  local i=$1 pid
  [[ -d $(silo_dir "$i") ]] || die "silo $i was never started in $STATE"
  if pid=$(silo_pid "$i"); then
    kill -KILL "$pid"
    local deadline=$((SECONDS + 10))
    while silo_pid "$i" >/dev/null; do
      ((SECONDS < deadline)) || die "silo $i (pid $pid) still runs 10s after SIGKILL"
      sleep 0.1
    done
    # The pid record stays, so status reports the silo as dead rather than stopped.
    echo "silo $i killed (SIGKILL, pid $pid)"
  else
    echo "silo $i is not running"
  fi
}

cmd_env() {
  local role=${1:-admin} i=${2:-1}
  [[ -s $STATE/keys.env ]] || die "no cluster in $STATE; run 'cluster.sh start' first."
  if [[ $role == --connection-string ]]; then
    [[ -s $STATE/pg.password && -s $STATE/pg.port ]] || die "PostgreSQL of this cluster was never started."
    connection_string
    echo
    return
  fi
  [[ " ${ROLES[*]} " == *" $role "* ]] || usage_error "unknown role '$role'; roles are ${ROLES[*]}"
  [[ -f $(silo_dir "$i")/url ]] || die "silo $i was never started in $STATE"
  printf 'export RIPCORD_SERVER=%s\nexport RIPCORD_API_KEY=%s\n' "$(cat "$(silo_dir "$i")/url")" "$(key_of "$role")"
}

cmd_clean() {
  local dir=""
  if [[ ! -d $STATE ]]; then
    echo "no cluster state in $STATE"
    return 0
  fi
  [[ -f $STATE/.ripcord-cluster ]] || die "$STATE was not made by cluster.sh (no .ripcord-cluster marker); not deleting it."
  cmd_stop
  if [[ -f $STATE/pg.dir ]]; then
    dir=$(dirname "$(cat "$STATE/pg.dir")")
  fi
  rm -rf "${STATE:?}"
  if [[ -n $dir && $dir == /var/tmp/ripcord-cluster-* ]]; then
    rm -rf "$dir"
  fi
  echo "cluster state removed"
}

silo_count() {
  # $1: argument or empty.
  local n=${1:-$DEFAULT_SILOS}
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > MAX_SILOS)); then
    usage_error "the number of silos must be 1 to $MAX_SILOS, not '$n'"
  fi
  echo "$n"
}

main() {
  local command=${1:-} n i
  (($# > 0)) && shift
  case $command in
    start)
      (($# <= 1)) || usage_error "start takes at most one argument (the number of silos)"
      n=$(silo_count "${1:-}")
      cmd_start "$n"
      ;;
    stop)
      (($# == 0)) || usage_error "stop takes no argument"
      cmd_stop
      ;;
    status)
      (($# == 0)) || usage_error "status takes no argument"
      cmd_status
      ;;
    kill)
      (($# == 1)) || usage_error "kill takes the number of a silo"
      i=$(silo_count "$1")
      cmd_kill "$i"
      ;;
    env)
      (($# <= 2)) || usage_error "env takes a role and a silo number"
      i=$(silo_count "${2:-1}")
      cmd_env "${1:-admin}" "$i"
      ;;
    clean)
      (($# == 0)) || usage_error "clean takes no argument"
      cmd_clean
      ;;
    help | -h | --help)
      usage
      ;;
    "")
      usage >&2
      exit 2
      ;;
    *)
      usage_error "unknown command '$command'"
      ;;
  esac
}

main "$@"
