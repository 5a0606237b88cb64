#!/usr/bin/env bash
# Queue-mode end-to-end test: one n8n main and two n8n workers, each with its own user folder
# and the package installed there, sharing a Redis and a PostgreSQL started here, against the
# KOMOJU sandbox. Then the jest tests in test/queue/ (1,000-item executions spread over the
# workers, the 3DS round trip through the main's webhooks). Everything started here is stopped
# on exit, also on failure and Ctrl-C. What it checks and why: docs/queue-mode.md.
#
# Usage: npm run build && bash scripts/queue-mode/run.sh [jest args...]
# Env:   KOMOJU_QUEUE_KEEP=1                 keep the run folder (logs, user folders, DB)
#        KOMOJU_QUEUE_CONCURRENCY=5          `n8n worker --concurrency`
#        KOMOJU_QUEUE_EXECUTIONS=4           executions of the 1,000-item workflow
#        KOMOJU_QUEUE_BREAK=no-package-on-worker2 | one-worker
#                                            a deliberately broken deployment (the tests must fail)
# shellcheck disable=SC2317 # cleanup and stop_groups run from traps
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
t_start=$SECONDS
declare -a timing_names=() timing_values=()
step_started=0
step() { step_started=$SECONDS; echo "[queue] $*"; }
done_step() { timing_names+=("$1"); timing_values+=("$((SECONDS - step_started))"); }

concurrency=${KOMOJU_QUEUE_CONCURRENCY:-5}
executions=${KOMOJU_QUEUE_EXECUTIONS:-4}
break_mode=${KOMOJU_QUEUE_BREAK:-}
# Both workers must get a job, and the sandbox keeps only its last 5,000 requests.
[[ "$executions" =~ ^[2-4]$ ]] || { echo "KOMOJU_QUEUE_EXECUTIONS must be 2, 3 or 4" >&2; exit 2; }
case "$break_mode" in '' | no-package-on-worker2 | one-worker) ;; *)
  echo "KOMOJU_QUEUE_BREAK must be no-package-on-worker2 or one-worker" >&2
  exit 2
  ;;
esac

# ---------------------------------------------------------------------------------------------
# 1. System packages: redis-server and PostgreSQL's server binaries (Debian packages).
as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else
    echo "[queue] need root (or password-less sudo) to run: $*" >&2
    exit 1
  fi
}
pg_bin() { find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname; }
step "system packages"
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -n "$(pg_bin)" ]] || missing+=(postgresql)
if ((${#missing[@]})); then
  echo "[queue] installing ${missing[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
PG_BIN=$(pg_bin)
[[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || { echo "[queue] no initdb/pg_ctl under /usr/lib/postgresql" >&2; exit 1; }
done_step packages

step "n8n (scripts/n8n/tools.sh)"
bash "$repo/scripts/n8n/tools.sh" | tail -n 1
# shellcheck source-path=SCRIPTDIR source=../n8n/env.sh
source "$repo/scripts/n8n/env.sh"
done_step tools.sh

# ---------------------------------------------------------------------------------------------
# 2. Run folder, cleanup trap, free ports.
run_dir=$(mktemp -d /tmp/komoju-queue.XXXXXX)
chmod 755 "$run_dir"
declare -a n8n_groups=() service_groups=() # process group ids (each process runs in its own session)
pg_data="$run_dir/postgres/data"
pg_started=0
jest_pid=
# SIGTERM to whole process groups (n8n's task runner included), SIGKILL after 20 s.
stop_groups() {
  local pgid alive
  (($#)) || return 0
  for pgid in "$@"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    alive=0
    for pgid in "$@"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.2
  done
  for pgid in "$@"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
}
cleanup() {
  local rc=$? t0=$SECONDS
  trap - EXIT INT TERM
  echo "[queue] stopping everything started here"
  [[ -z "$jest_pid" ]] || kill -TERM "$jest_pid" 2>/dev/null || true
  # n8n first (workers and main shut down cleanly while Redis and PostgreSQL are still up).
  stop_groups "${n8n_groups[@]}"
  stop_groups "${service_groups[@]}"
  if ((pg_started)); then pg_as_owner "$PG_BIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; fi
  local left
  left=$(pgrep -f "$run_dir" || true)
  if [[ -n "$left" ]]; then
    echo "[queue] processes left behind, killing: $left" >&2
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL $left 2>/dev/null || true
    ((rc)) || rc=1
  fi
  echo "[queue] stopped in $((SECONDS - t0)) s"
  if [[ "${KOMOJU_QUEUE_KEEP:-}" == 1 ]]; then echo "[queue] kept $run_dir"; else rm -rf "$run_dir"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "[queue] interrupted" >&2; exit 130' INT TERM
echo "[queue] run folder $run_dir"

# n ports at once, all held open together so that none repeats.
read -r -a ports < <("$N8N_NODE" -e '
  const net = require("net"), n = Number(process.argv[1]);
  Promise.all(Array.from({ length: n }, () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); })))
    .then((ss) => { console.log(ss.map((s) => s.address().port).join(" ")); ss.forEach((s) => s.close()); });' 10)
redis_port=${ports[0]} pg_port=${ports[1]} sandbox_port=${ports[2]} main_port=${ports[3]}

# spawn <n8n|service> <log> <command...>: runs it in a new session (its own process group),
# output to the log, and records the group for cleanup.
spawn() {
  local kind=$1 log=$2
  shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  if [[ $kind == n8n ]]; then n8n_groups+=("$!"); else service_groups+=("$!"); fi
}
wait_for() { # wait_for <what> <seconds> <log> <command...>
  local what=$1 limit=$2 log=$3 deadline=$((SECONDS + $2))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "[queue] $what not ready after $limit s; last lines of $log:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------
# 3. Redis, PostgreSQL, the sandbox.
step "Redis on 127.0.0.1:$redis_port"
mkdir -p "$run_dir/redis"
spawn service "$run_dir/redis.log" redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$run_dir/redis" \
  --save '' --appendonly no --protected-mode yes
wait_for Redis 30 "$run_dir/redis.log" redis-cli -h 127.0.0.1 -p "$redis_port" ping
done_step redis

# PostgreSQL refuses to run as root: as root it runs as the `postgres` system user.
pg_as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
step "PostgreSQL ($PG_BIN) on 127.0.0.1:$pg_port"
mkdir -p "$run_dir/postgres/socket"
[[ $(id -u) == 0 ]] && chown -R postgres: "$run_dir/postgres"
pg_as_owner "$PG_BIN/initdb" -D "$pg_data" -U postgres -A trust --no-sync -E UTF8 >"$run_dir/postgres/initdb.log" 2>&1 ||
  { cat "$run_dir/postgres/initdb.log" >&2; exit 1; }
pg_started=1
pg_as_owner "$PG_BIN/pg_ctl" -D "$pg_data" -l "$run_dir/postgres/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $run_dir/postgres/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { tail -n 40 "$run_dir/postgres/postgres.log" >&2; exit 1; }
pg_as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc 'CREATE DATABASE n8n' >/dev/null
done_step postgres

step "KOMOJU sandbox on 127.0.0.1:$sandbox_port"
spawn service "$run_dir/sandbox.log" "$N8N_NODE" "$repo/sandbox/server.js" --port "$sandbox_port"
wait_for sandbox 30 "$run_dir/sandbox.log" grep -q 'KOMOJU sandbox listening' "$run_dir/sandbox.log"
done_step sandbox

# ---------------------------------------------------------------------------------------------
# 4. One user folder per n8n process, the package installed into each (as n8n installs it).
processes=(main worker1 worker2)
step "install the package into the user folders of ${processes[*]}"
for p in "${processes[@]}"; do
  mkdir -p "$run_dir/$p"
  if [[ "$break_mode" == no-package-on-worker2 && $p == worker2 ]]; then
    echo "[queue] BROKEN ON PURPOSE: no package on worker2"
    continue
  fi
  bash "$repo/scripts/n8n/install-package.sh" "$run_dir/$p" >/dev/null
done
done_step install-package

# ---------------------------------------------------------------------------------------------
# 5. n8n in queue mode: settings shared by every process.
export EXECUTIONS_MODE=queue
export QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT=$redis_port
export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$pg_port
export DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=postgres DB_POSTGRESDB_PASSWORD=
export N8N_ENCRYPTION_KEY=komoju-queue-mode-shared-key
export N8N_HOST=127.0.0.1 N8N_PORT=$main_port
export WEBHOOK_URL="http://127.0.0.1:$main_port/" # resume URLs point at the main
# n8n waits for running executions before it exits (30 s by default); stay under cleanup's 20 s.
export N8N_GRACEFUL_SHUTDOWN_TIMEOUT=${N8N_GRACEFUL_SHUTDOWN_TIMEOUT:-15}
owner_email=owner@komoju-queue.test owner_password=Queue-owner-Passw0rd
owner_hash=$(cd "$KOMOJU_N8N_HOME" && "$N8N_NODE" -e \
  'console.log(require(require.resolve("bcryptjs", { paths: [require.resolve("n8n/package.json")] })).hashSync(process.argv[1], 10))' \
  "$owner_password")

step "n8n main (n8n start) on port $main_port"
spawn n8n "$run_dir/main.log" env N8N_RUNNERS_BROKER_PORT="${ports[4]}" \
  N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true N8N_INSTANCE_OWNER_EMAIL="$owner_email" \
  N8N_INSTANCE_OWNER_PASSWORD_HASH="$owner_hash" \
  bash "$repo/scripts/n8n/n8n.sh" "$run_dir/main" start
# The main runs the DB migrations: the workers start once it is ready.
wait_for "n8n main" 180 "$run_dir/main.log" curl -sf "http://127.0.0.1:$main_port/healthz/readiness"
done_step main

workers=(worker1 worker2)
[[ "$break_mode" == one-worker ]] && { echo "[queue] BROKEN ON PURPOSE: worker2 not started"; workers=(worker1); }
step "n8n workers (n8n worker --concurrency=$concurrency): ${workers[*]}"
worker_ports=()
for i in "${!workers[@]}"; do
  w=${workers[$i]}
  health=${ports[$((5 + 2 * i))]} broker=${ports[$((6 + 2 * i))]}
  worker_ports+=("$health")
  # N8N_PORT is the main's (used in URLs); a worker listens only on its health port and broker.
  spawn n8n "$run_dir/$w.log" env QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT="$health" \
    N8N_RUNNERS_BROKER_PORT="$broker" \
    bash "$repo/scripts/n8n/n8n.sh" "$run_dir/$w" worker --concurrency="$concurrency"
done
for i in "${!workers[@]}"; do
  wait_for "n8n ${workers[$i]}" 180 "$run_dir/${workers[$i]}.log" curl -sf "http://127.0.0.1:${worker_ports[$i]}/healthz/readiness"
done
done_step workers

# ---------------------------------------------------------------------------------------------
# 6. The tests.
state="$run_dir/state.json"
workers_json=$(for w in "${workers[@]}"; do printf '{"name":"%s","folder":"%s","log":"%s"},' "$w" "$run_dir/$w" "$run_dir/$w.log"; done)
cat >"$state" <<JSON
{
  "runDir": "$run_dir",
  "main": { "url": "http://127.0.0.1:$main_port", "folder": "$run_dir/main", "log": "$run_dir/main.log",
            "owner": { "email": "$owner_email", "password": "$owner_password" } },
  "workers": [${workers_json%,}],
  "sandboxUrl": "http://127.0.0.1:$sandbox_port",
  "executions": $executions,
  "concurrency": $concurrency
}
JSON
step "jest -c test/queue/jest.config.js"
rc=0
# In the background so that a TERM to this script (not only Ctrl-C) reaches the trap at once.
(cd "$repo" && exec env KOMOJU_QUEUE_STATE="$state" node_modules/.bin/jest -c test/queue/jest.config.js "$@") &
jest_pid=$!
wait "$jest_pid" || rc=$?
jest_pid=
done_step jest

echo "[queue] timings (s):"
for i in "${!timing_names[@]}"; do printf '  %-16s %4s\n' "${timing_names[$i]}" "${timing_values[$i]}"; done
printf '  %-16s %4s\n' total "$((SECONDS - t_start))"
for w in "${workers[@]}"; do
  echo "[queue] $w ran $(grep -c 'Worker started execution' "$run_dir/$w.log" || true) job(s)"
done
exit "$rc"
