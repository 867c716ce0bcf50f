#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on loopback for the tests: `scripts/pg.sh start DIR`
# prints the connection URL; `scripts/pg.sh stop DIR` stops it and removes DIR.
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (make setup installs postgresql)" >&2; exit 1; }
cmd=$1; dir=$2
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U datamorph --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    echo "postgresql://datamorph@127.0.0.1:$port/postgres"
    ;;
  createdb)
    port=$(cat "$dir/port"); name=$3
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U datamorph "$name"
    echo "postgresql://datamorph@127.0.0.1:$port/$name"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg.sh start|createdb|stop DIR [NAME]" >&2; exit 2 ;;
esac
