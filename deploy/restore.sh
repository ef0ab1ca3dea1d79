#!/usr/bin/env bash
# Rebuilds an EMPTY database from a dump made by deploy/backup.sh, then checks it: prints the row count of every
# table and fails unless the migrations history is there.
#
#   deploy/restore.sh DUMP TARGET_URL
#     DUMP        ruum-identity-*.dump, or *.dump.gpg (decrypted with gpg: the ops private key must be in the keyring)
#     TARGET_URL  postgresql://user:password@host/db, an existing database without tables (createdb, a new Neon branch)
#
# Refuses, with nothing written: a dump pg_restore cannot read, a target that already holds tables. The restore is one
# transaction (--single-transaction --exit-on-error), so a dump that breaks halfway leaves the target empty too.
# Start the server on the restored database with the SAME secrets (pepper, Data Protection certificate, OTP hashing
# key, encryption key, signing keys): without them passwords, protected secrets and refresh tokens do not verify.
set -euo pipefail

dump=${1:-}
target=${2:-}
if [ -z "$dump" ] || [ -z "$target" ] || [ $# -ne 2 ]; then
  echo "usage: deploy/restore.sh DUMP TARGET_URL" >&2
  exit 2
fi
[ -f "$dump" ] || { echo "restore: refused: no such dump file: $dump" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ "$dump" == *.gpg ]]; then
  (umask 077; gpg --batch --quiet --decrypt --output "$work/restore.dump" "$dump") \
    || { echo "restore: refused: could not decrypt $dump" >&2; exit 1; }
  dump="$work/restore.dump"
fi

if ! pg_restore --list "$dump" >"$work/toc" 2>"$work/err"; then
  echo "restore: refused: $1 is not a readable pg_dump archive: $(head -n 1 "$work/err" | grep . || echo "pg_restore --list failed")" >&2
  exit 1
fi
grep -q 'TABLE DATA public __ef_migrations_history' "$work/toc" \
  || { echo "restore: refused: $1 is not a Ruum Identity dump (no __ef_migrations_history)" >&2; exit 1; }

tables=$(psql -X -tA -v ON_ERROR_STOP=1 "$target" \
  -c "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%'") \
  || { echo "restore: refused: cannot query the target database" >&2; exit 1; }
if [ "$tables" != "0" ]; then
  echo "restore: refused: the target database is not empty ($tables tables, views or sequences); restore into a new database" >&2
  exit 1
fi

if ! pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$target" "$dump" 2>"$work/err"; then
  echo "restore: failed, nothing was written (one transaction, rolled back): $(grep -m 1 -i error "$work/err" || head -n 1 "$work/err")" >&2
  exit 1
fi

echo "restore: $1 restored. Rows per table:"
psql -X -tA -F ' ' -v ON_ERROR_STOP=1 "$target" <<'SQL'
SELECT format('SELECT %L, count(*) FROM %I.%I', c.relname, n.nspname, c.relname)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
ORDER BY c.relname
\gexec
SQL
migrations=$(psql -X -tA -v ON_ERROR_STOP=1 "$target" -c 'SELECT count(*) FROM public.__ef_migrations_history')
[ "$migrations" -gt 0 ] || { echo "restore: check failed: no migrations recorded" >&2; exit 1; }
echo "restore: check passed ($migrations migrations recorded)"
