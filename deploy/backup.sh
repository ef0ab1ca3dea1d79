#!/usr/bin/env bash
# A logical backup of the Ruum Identity database, encrypted, with rotation (security policy §6:
# "periodic database backups, with limited retention and rotation"). Complements Neon's point-in-time restore.
#
#   BACKUP_DATABASE_URL     postgresql://user:password@host/db?sslmode=require  (Neon: the direct endpoint)
#   BACKUP_DIR              where dumps go (default ./backups)
#   BACKUP_RETENTION_DAYS   dumps older than this are deleted (default 30)
#   BACKUP_GPG_RECIPIENT    gpg key the dump is encrypted to; required unless BACKUP_ALLOW_PLAINTEXT=1
#                           (dumps hold password hashes, encrypted authenticator secrets and audit events)
#
# Run daily (cron, a Render cron job, CI schedule). Restore: deploy/README.md, "Backups and restore".
set -euo pipefail

: "${BACKUP_DATABASE_URL:?set BACKUP_DATABASE_URL (the direct, SSL-required connection URL)}"
dir=${BACKUP_DIR:-./backups}
retention=${BACKUP_RETENTION_DAYS:-30}
if [ -z "${BACKUP_GPG_RECIPIENT:-}" ] && [ "${BACKUP_ALLOW_PLAINTEXT:-0}" != "1" ]; then
  echo "error: set BACKUP_GPG_RECIPIENT (or BACKUP_ALLOW_PLAINTEXT=1 for a throwaway database)" >&2
  exit 1
fi

mkdir -p "$dir"
umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$dir/.ruum-identity-$stamp.dump.partial"
trap 'rm -f "$partial" "$partial.gpg"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$partial" "$BACKUP_DATABASE_URL"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$partial" >/dev/null

if [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
  gpg --batch --yes --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" --output "$partial.gpg" --encrypt "$partial"
  target="$dir/ruum-identity-$stamp.dump.gpg"
  mv "$partial.gpg" "$target"
else
  target="$dir/ruum-identity-$stamp.dump"
  mv "$partial" "$target"
fi
echo "backup: $target ($(du -h "$target" | cut -f1))"

find "$dir" -maxdepth 1 -name 'ruum-identity-*.dump*' -type f -mtime "+$retention" -print -delete \
  | sed 's/^/deleted (older than '"$retention"' days): /'
