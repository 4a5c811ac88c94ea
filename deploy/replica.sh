#!/usr/bin/env bash
# A streaming replica of the machine's PostgreSQL primary, on the loopback: what the tests, CI
# (.ci/run) and the drill (make cluster, make drill) read from. See README, "Several app nodes".
#
#   deploy/replica.sh [ensure]   reuse the replica if it streams, else start it, else rebuild it
#   deploy/replica.sh start|stop|status|rebuild
#
# The replica is made with pg_basebackup -R from the primary, and started with Debian's binaries
# as the postgres user. On the primary it changes one thing: a "host replication" line in
# pg_hba.conf (then a reload). It never stops or restarts the primary.
#
# Environment: PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432), REPLICA_PORT (5433),
# REPLICA_DIR (/var/lib/postgresql/<major>/replica-<port>), PG_BIN (Debian's, from the primary's version).
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
HBA_LINE="host replication all 127.0.0.1/32 trust"

say() { echo "replica: $*" >&2; }
die() { say "error: $*"; exit 1; }

primary() { psql -X -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atq "$@"; }
replica() { psql -X -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atq "$@" 2>/dev/null; }

pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" ||
  die "the primary at $PRIMARY_HOST:$PRIMARY_PORT does not answer (start it: pg_ctlcluster --skip-systemctl-redirect 15 main start)"
MAJOR=$(primary -c "SHOW server_version_num" | cut -c1-2)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$MAJOR/bin}
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/$MAJOR/replica-$REPLICA_PORT}
LOG=${REPLICA_LOG:-/var/log/postgresql/postgresql-$MAJOR-replica-$REPLICA_PORT.log}
[[ -x "$PG_BIN/pg_ctl" ]] || die "no pg_ctl in $PG_BIN (set PG_BIN)"

# Run as the postgres user: the data directory must belong to it.
as_postgres() {
  if [[ "$(id -un)" == postgres ]]; then "$@"
  elif [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"
  else die "run this as root or as postgres"; fi
}

streaming() {
  [[ "$(replica -c "SELECT pg_is_in_recovery()")" == t ]] &&
    [[ "$(replica -c "SELECT status FROM pg_stat_wal_receiver")" == streaming ]]
}

status() {
  if streaming; then
    local behind
    behind=$(primary -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$(replica -c "SELECT pg_last_wal_replay_lsn()")')")
    say "streaming on 127.0.0.1:$REPLICA_PORT from $PRIMARY_HOST:$PRIMARY_PORT ($REPLICA_DIR), $behind bytes of WAL behind"
    return 0
  fi
  if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then say "something answers on $REPLICA_PORT but does not stream from the primary"
  else say "not running on 127.0.0.1:$REPLICA_PORT"; fi
  return 1
}

allow_replication() {
  local hba
  hba=$(primary -c "SHOW hba_file")
  if ! grep -qxF "$HBA_LINE" "$hba"; then
    say "adding '$HBA_LINE' to $hba, and reloading the primary"
    echo "$HBA_LINE" >>"$hba"
    primary -c "SELECT pg_reload_conf()" >/dev/null
  fi
}

write_config() {
  # Debian keeps the primary's configuration in /etc: the copied data directory has none. A hot
  # standby needs these settings at least as high as the primary's.
  local setting lines=""
  for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    lines+="$setting = $(primary -c "SHOW $setting")"$'\n'
  done
  as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<CONF
# Written by deploy/replica.sh: a hot standby of $PRIMARY_HOST:$PRIMARY_PORT (primary_conninfo is in postgresql.auto.conf).
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Tell the primary which rows the replica's queries still read, so that replaying its vacuum does
# not cancel them ("conflict with recovery"): reads on a replica must not fail.
hot_standby_feedback = on
shared_buffers = 64MB
$lines
CONF
  as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  as_postgres touch "$REPLICA_DIR/pg_ident.conf"
}

start() {
  [[ -f "$REPLICA_DIR/standby.signal" ]] || return 1
  if ! pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
    say "starting the replica in $REPLICA_DIR on port $REPLICA_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$LOG" -w -t 60 start >/dev/null || return 1
  fi
  for _ in $(seq 1 60); do streaming && return 0; sleep 0.5; done
  return 1
}

stop() {
  if [[ -f "$REPLICA_DIR/postmaster.pid" ]]; then
    say "stopping the replica on port $REPLICA_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w -t 60 stop >/dev/null
  fi
}

rebuild() {
  allow_replication
  stop
  say "copying the primary into $REPLICA_DIR (pg_basebackup -R -X stream)"
  rm -rf "$REPLICA_DIR"
  # An empty directory of the postgres user's own, mode 0700, which pg_basebackup fills.
  install -d -m 0700 -o postgres -g postgres "$REPLICA_DIR"
  as_postgres "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast
  write_config
  start || die "the rebuilt replica does not stream: see $LOG"
}

case "${1:-ensure}" in
  ensure)
    if streaming; then status; exit 0; fi
    allow_replication
    if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" && [[ ! -f "$REPLICA_DIR/postmaster.pid" ]]; then
      die "port $REPLICA_PORT is taken by a server that is not this replica"
    fi
    start || { say "the replica is missing or broken: rebuilding it"; rebuild; }
    status
    ;;
  start) start || die "the replica does not stream: see $LOG (deploy/replica.sh rebuild makes it anew)"; status ;;
  stop) stop ;;
  status) status ;;
  rebuild) rebuild; status ;;
  *) die "usage: deploy/replica.sh [ensure|start|stop|status|rebuild]" ;;
esac
