# Sourced by test.sh and bench.sh: a throwaway PostgreSQL cluster on a free loopback port.
# Sets RUUM_TEST_POSTGRES unless it is already set; stops the cluster on exit.

ensure_debian_package() { # command-to-check package
  if ! command -v "$1" >/dev/null 2>&1 && ! ls $1 >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: $2 is missing; install it (apt-get install $2) or run as root." >&2
      exit 1
    fi
    echo "Installing $2 ..."
    if [ -z "${RUUM_APT_UPDATED:-}" ]; then
      apt-get update -qq
      RUUM_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 30000 ))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

start_throwaway_postgres() {
  ensure_debian_package '/usr/lib/postgresql/*/bin/initdb' postgresql
  local bin
  bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PG_DIR=$(mktemp -d /tmp/ruum-pg.XXXXXX)
  PG_PORT=$(free_port)
  # initdb and pg_ctl refuse to run as root.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  PG_RUN=("${run[@]}")
  PG_BIN=$bin
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 >/dev/null
  # Durability is pointless for a throwaway test cluster; speed is not.
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start -o \
    "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" >/dev/null
  trap stop_throwaway_postgres EXIT
  export RUUM_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL started on 127.0.0.1:$PG_PORT"
}

stop_throwaway_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

ensure_postgres() {
  if [ -n "${RUUM_TEST_POSTGRES:-}" ]; then
    echo "Using PostgreSQL from RUUM_TEST_POSTGRES"
  else
    start_throwaway_postgres
  fi
}
