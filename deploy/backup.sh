#!/usr/bin/env bash
# A logical backup of the Ruum Identity database, encrypted, with rotation (security policy §6:
# "periodic database backups, with limited retention and rotation"). Complements Neon's point-in-time restore.
#
#   BACKUP_DATABASE_URL     postgresql://user:password@host/db?sslmode=verify-full  (Neon: the direct endpoint)
#   BACKUP_DIR              where dumps go (default ./backups)
#   BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY
#                           rotation: the newest dump of each of the last 7 days, 4 weeks, 12 months (deploy/rotate-backups.sh)
#   BACKUP_GPG_RECIPIENT    gpg key the dump is encrypted to; required unless BACKUP_ALLOW_PLAINTEXT=1
#                           (dumps hold password hashes, encrypted authenticator secrets and audit events)
#   BACKUP_GPG_PUBLIC_KEY   that key, ASCII-armoured, when the machine's keyring does not hold it (a Render cron job)
#   BACKUP_RCLONE_REMOTE    optional rclone destination (e.g. `eu-backups:ruum-identity`, configured by RCLONE_CONFIG_*
#                           variables): the dump is copied there and the rotation applies there, since a cron
#                           job's disk does not outlive the run
#   BACKUP_HEARTBEAT_URL    optional: pinged after a good backup, and at URL/fail after a failed one (a dead-man's switch)
#
# Run daily: the Render cron job in deploy/render.yaml. Restore: deploy/restore.sh (deploy/README.md, "Backups and restore").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
heartbeat() { # suffix
  if [ -n "${BACKUP_HEARTBEAT_URL:-}" ]; then
    curl -fsS -m 10 --retry 3 -o /dev/null "${BACKUP_HEARTBEAT_URL%/}$1" || echo "warning: heartbeat ${1:-ok} not delivered" >&2
  fi
}
trap 'status=$?; [ "$status" -eq 0 ] || heartbeat /fail' EXIT

: "${BACKUP_DATABASE_URL:?set BACKUP_DATABASE_URL (the direct, SSL-required connection URL)}"
dir=${BACKUP_DIR:-./backups}
if [ -z "${BACKUP_GPG_RECIPIENT:-}" ] && [ "${BACKUP_ALLOW_PLAINTEXT:-0}" != "1" ]; then
  echo "error: set BACKUP_GPG_RECIPIENT (or BACKUP_ALLOW_PLAINTEXT=1 for a throwaway database)" >&2
  exit 1
fi

mkdir -p "$dir"
umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$dir/.ruum-identity-$stamp.dump.partial"
trap 'status=$?; rm -f "$partial" "$partial.gpg"; rm -rf "${GNUPGHOME_TMP:-}"; [ "$status" -eq 0 ] || heartbeat /fail' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$partial" "$BACKUP_DATABASE_URL"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$partial" >/dev/null

if [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
  if [ -n "${BACKUP_GPG_PUBLIC_KEY:-}" ]; then
    GNUPGHOME_TMP=$(mktemp -d)
    export GNUPGHOME=$GNUPGHOME_TMP
    gpg --batch --quiet --import <<<"$BACKUP_GPG_PUBLIC_KEY"
  fi
  gpg --batch --yes --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" --output "$partial.gpg" --encrypt "$partial"
  target="$dir/ruum-identity-$stamp.dump.gpg"
  mv "$partial.gpg" "$target"
else
  target="$dir/ruum-identity-$stamp.dump"
  mv "$partial" "$target"
fi
echo "backup: $target ($(du -h "$target" | cut -f1))"

"$here/rotate-backups.sh" "$dir"
if [ -n "${BACKUP_RCLONE_REMOTE:-}" ]; then
  remote=${BACKUP_RCLONE_REMOTE%/}
  rclone copyto "$target" "$remote/${target##*/}"
  echo "backup: copied to $remote/${target##*/}"
  rclone lsf --files-only "$remote" | "$here/rotate-backups.sh" --names | while read -r name; do
    rclone deletefile "$remote/$name"
    echo "rotated out: $remote/$name"
  done
fi
heartbeat ""
