#!/usr/bin/env bash
# deploy/backup.sh against the test cluster: a dump restores into an empty database with its rows, and
# dumps rotated out are deleted (the full rotation and deploy/restore.sh: tests/Ruum.Identity.Tests/Deploy).
set -euo pipefail
cd "$(dirname "$0")/../.."

field() { tr ';' '\n' <<<"$RUUM_TEST_POSTGRES" | sed -n "s/^$1=//Ip" | head -n 1; }
host=$(field Host) port=$(field Port) user=$(field Username)
server="postgresql://$user@$host:${port:-5432}"
name="ruum_backup_check_$RANDOM$RANDOM"
work=$(mktemp -d)
cleanup() {
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS ${name}" -c "DROP DATABASE IF EXISTS ${name}_restored" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -q "$server/postgres" -c "CREATE DATABASE $name" -c "CREATE DATABASE ${name}_restored" >/dev/null
psql -q "$server/$name" -c "CREATE TABLE users (email text); INSERT INTO users VALUES ('backup@example.test')" >/dev/null
touch "$work/ruum-identity-20000101T000000Z.dump"

BACKUP_DATABASE_URL="$server/$name" BACKUP_DIR="$work" BACKUP_KEEP_DAILY=1 BACKUP_KEEP_WEEKLY=0 BACKUP_KEEP_MONTHLY=0 BACKUP_ALLOW_PLAINTEXT=1 \
  deploy/backup.sh >/dev/null

dump=$(ls "$work"/ruum-identity-*.dump)
[ "$(wc -l <<<"$dump")" -eq 1 ] || { echo "backup check: expected one dump after rotation, found: $dump" >&2; exit 1; }
pg_restore --no-owner --dbname="$server/${name}_restored" "$dump"
restored=$(psql -tA "$server/${name}_restored" -c "SELECT email FROM users")
[ "$restored" = "backup@example.test" ] || { echo "backup check: restored '$restored'" >&2; exit 1; }
echo "backup check: dump restored, old dump rotated out"
