#!/usr/bin/env bash
# Brings up (or down) what the tests and distributed mode need, as root and without systemd:
# PostgreSQL 15 + pgvector on 127.0.0.1:55432 and RabbitMQ on 127.0.0.1:5672 (management 15672),
# data under $SVC_ROOT. Idempotent: `up` on a running setup only prints the connection strings.
set -euo pipefail
SVC_ROOT=${SVC_ROOT:-/tmp/pulse-svc}
PGPORT=${PGPORT:-55432}
PGBIN=/usr/lib/postgresql/15/bin
export DEBIAN_FRONTEND=noninteractive

pg_ready() { [ -x $PGBIN/pg_isready ] && $PGBIN/pg_isready -q -h 127.0.0.1 -p "$PGPORT" >/dev/null 2>&1; }
rmq_env() {
  local R=$SVC_ROOT/rmq
  export RABBITMQ_CONFIG_FILE="$R/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$R/enabled_plugins" \
         RABBITMQ_MNESIA_BASE="$R/mnesia" RABBITMQ_LOG_BASE="$R/log" RABBITMQ_NODENAME=rabbit@localhost \
         ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}
rmq_ready() { command -v rabbitmqctl >/dev/null 2>&1 && (rmq_env; rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1) \
  && (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

install_packages() {
  local need=()
  for p in rabbitmq-server postgresql-15 postgresql-server-dev-15 chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "services: installing ${need[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ ! -f /usr/share/postgresql/15/extension/vector.control ]; then
    echo "services: building pgvector from Debian trixie source"
    local d=$SVC_ROOT/pgvector-src; rm -rf "$d"; mkdir -p "$d/lists/partial"
    echo 'deb-src http://deb.debian.org/debian trixie main' > "$d/sources.list"
    local A=(-o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$d/lists")
    apt-get "${A[@]}" update -qq
    (cd "$d" && apt-get "${A[@]}" source -qq pgvector >/dev/null 2>&1)
    local src; src=$(find "$d" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -1)
    make -C "$src" -j2 PG_CONFIG=$PGBIN/pg_config >/dev/null
    make -C "$src" install PG_CONFIG=$PGBIN/pg_config >/dev/null
  fi
}

start_postgres() {
  pg_ready && return 0
  local data=$SVC_ROOT/pg/data
  mkdir -p "$SVC_ROOT"; chmod 755 "$SVC_ROOT"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$SVC_ROOT/pg"; mkdir -p "$data"; chown -R postgres:postgres "$SVC_ROOT/pg"
    runuser -u postgres -- $PGBIN/initdb -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  rm -f "$data/postmaster.pid"   # a stale pid file from a killed server (pg_isready said it is not running)
  runuser -u postgres -- $PGBIN/pg_ctl -D "$data" -l "$SVC_ROOT/pg/pg.log" -w -t 60 \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  for _ in $(seq 1 60); do pg_ready && break; sleep 0.5; done
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qtAc "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
}

boot_rabbitmq() {
  rmq_env
  rabbitmq-server -detached
  for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
  # ping alone is not enough: the app may still be booting (recovering durable queues)
  rabbitmqctl -q await_startup --timeout "$1" >/dev/null 2>&1 || return 1
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && return 0; sleep 0.5; done
  return 1
}

# Our broker's Erlang VM: the node name lives in its environment, but this argument is ours alone.
RMQ_VM='beam.smp.*-s rabbit boot.*inet_dist_use_interface'

stop_rabbitmq() {
  (rmq_env; timeout 30 rabbitmqctl shutdown >/dev/null 2>&1) || true
  pkill -9 -f "$RMQ_VM" 2>/dev/null || true   # a node stuck booting does not answer shutdown
  for _ in $(seq 1 40); do pgrep -f "$RMQ_VM" >/dev/null || break; sleep 0.25; done
  epmd -kill >/dev/null 2>&1 || true
}

start_rabbitmq() {
  rmq_ready && return 0
  local R=$SVC_ROOT/rmq
  mkdir -p "$R/mnesia" "$R/log"
  printf 'listeners.tcp.default = 127.0.0.1:5672\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = 15672\n' > "$R/rabbitmq.conf"
  echo '[rabbitmq_management].' > "$R/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$R"
  boot_rabbitmq 90 && return 0
  # RabbitMQ 3.10 can hang for good while recovering a large set of durable queues from an earlier
  # run (seen with 1,290 left-over queues). The state is kept, moved aside, and the broker starts
  # afresh rather than failing every test; only the newest stuck copy is kept, so /tmp stays bounded.
  local aside="$R/mnesia.stuck-$(date +%Y%m%d%H%M%S)"
  echo "services: RabbitMQ did not finish booting from $R/mnesia in 90 s; moving it to $aside and starting afresh" >&2
  stop_rabbitmq
  rm -rf "$R"/mnesia.stuck-*
  mv "$R/mnesia" "$aside"; mkdir -p "$R/mnesia"; chown -R rabbitmq:rabbitmq "$R"
  boot_rabbitmq 120 || { echo "services: RabbitMQ failed to start; see $R/log" >&2; return 1; }
}

# A vhost of its own for one test run: created empty, so nothing an earlier run left behind
# (queues, messages) can slow the broker or leak into the tests, and dropped again afterwards.
recreate_vhost() {
  rmq_env
  rabbitmqctl -q delete_vhost "$1" >/dev/null 2>&1 || true
  rabbitmqctl -q add_vhost "$1" >/dev/null
  rabbitmqctl -q set_permissions -p "$1" guest '.*' '.*' '.*' >/dev/null
}

print_strings() {
  echo "PULSE_TEST_POSTGRES=Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
  echo "PULSE_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:5672/"
}

case "${1:-}" in
  up)
    [ "$(id -u)" -eq 0 ] || { pg_ready && rmq_ready && { print_strings; exit 0; }; echo "services.sh up: must run as root" >&2; exit 1; }
    install_packages
    start_postgres
    start_rabbitmq
    print_strings
    ;;
  down)
    if [ -f "$SVC_ROOT/pg/data/postmaster.pid" ]; then
      runuser -u postgres -- $PGBIN/pg_ctl -D "$SVC_ROOT/pg/data" -m fast -w stop >/dev/null || true
    fi
    if command -v rabbitmqctl >/dev/null 2>&1; then stop_rabbitmq; fi
    ;;
  test-vhost)
    [ -n "${2:-}" ] || { echo "usage: scripts/services.sh test-vhost NAME" >&2; exit 2; }
    recreate_vhost "$2"
    echo "PULSE_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:5672/$2"
    ;;
  drop-vhost)
    [ -n "${2:-}" ] || { echo "usage: scripts/services.sh drop-vhost NAME" >&2; exit 2; }
    (rmq_env; rabbitmqctl -q delete_vhost "$2" >/dev/null 2>&1) || true
    ;;
  *) echo "usage: scripts/services.sh up|down|test-vhost NAME|drop-vhost NAME" >&2; exit 2 ;;
esac
