#!/usr/bin/env bash
# Backup rotation (security policy §6: "limited retention and rotation"): of the dumps in a folder, keeps the newest
# of each of the last BACKUP_KEEP_DAILY days (default 7), BACKUP_KEEP_WEEKLY ISO weeks (default 4) and
# BACKUP_KEEP_MONTHLY months (default 12) that have a dump, and deletes the rest. The newest dump is never deleted.
# Periods count back from the newest dump, not from today: a backup job that stopped running never empties the folder.
#
#   deploy/rotate-backups.sh DIR        deletes the dumps rotated out of DIR (backup.sh runs it after each dump)
#   deploy/rotate-backups.sh --names    reads file names on stdin, prints those to delete (for remote storage)
#
# Only files named ruum-identity-YYYYMMDDTHHMMSSZ.dump or .dump.gpg are considered; anything else is left alone.
set -euo pipefail

dir=${1:?usage: rotate-backups.sh DIR}
daily=${BACKUP_KEEP_DAILY:-7}
weekly=${BACKUP_KEEP_WEEKLY:-4}
monthly=${BACKUP_KEEP_MONTHLY:-12}
for n in "$daily" "$weekly" "$monthly"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "error: BACKUP_KEEP_DAILY/WEEKLY/MONTHLY must be whole numbers, got '$n'" >&2; exit 2; }
done
pattern='^ruum-identity-[0-9]{8}T[0-9]{6}Z\.dump(\.gpg)?$'
# Newest first: the names sort by their UTC timestamp.
if [ "$dir" = "--names" ]; then
  mapfile -t dumps < <(grep -E "$pattern" | sort -r || true)
else
  [ -d "$dir" ] || { echo "error: no such folder: $dir" >&2; exit 2; }
  mapfile -t dumps < <(find "$dir" -maxdepth 1 -type f -printf '%f\n' | grep -E "$pattern" | sort -r || true)
fi
[ "${#dumps[@]}" -gt 0 ] || exit 0

# A period keeps its newest dump (the first seen); older dumps in a period already counted claim nothing.
# ISO week of each dump's day, in one call of date (one call per dump is slow on a busy machine).
mapfile -t isoweeks < <(printf '%s\n' "${dumps[@]}" | cut -c15-22 | date -u -f - +%G%V)
declare -A days=() weeks=() months=()
doomed=()
for i in "${!dumps[@]}"; do
  name=${dumps[$i]}
  stamp=${name#ruum-identity-}
  day=${stamp:0:8}
  keep=0
  [ "$name" = "${dumps[0]}" ] && keep=1
  if [ -z "${days[$day]:-}" ] && [ "${#days[@]}" -lt "$daily" ]; then days[$day]=1; keep=1; fi
  week=${isoweeks[$i]}
  if [ -z "${weeks[$week]:-}" ] && [ "${#weeks[@]}" -lt "$weekly" ]; then weeks[$week]=1; keep=1; fi
  month=${day:0:6}
  if [ -z "${months[$month]:-}" ] && [ "${#months[@]}" -lt "$monthly" ]; then months[$month]=1; keep=1; fi
  [ "$keep" -eq 1 ] || doomed+=("$dir/$name")
done
[ "${#doomed[@]}" -gt 0 ] || exit 0
if [ "$dir" = "--names" ]; then
  printf '%s\n' "${doomed[@]##*/}"
else
  rm -f -- "${doomed[@]}"
  printf 'rotated out: %s\n' "${doomed[@]##*/}"
fi
