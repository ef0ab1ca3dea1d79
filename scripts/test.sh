#!/usr/bin/env bash
# The one test command: every test, against real PostgreSQL and real Chromium.
# Installs PostgreSQL, Chromium and Node.js/npm (Debian packages) when missing, installs the SPA test
# client's npm packages (npm ci in tests/spa-client), starts a throwaway
# cluster unless RUUM_TEST_POSTGRES names one, and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

ensure_debian_package chromium chromium
ensure_debian_package node nodejs
ensure_debian_package npm npm
# pg_dump, pg_restore and psql: deploy/backup.sh, deploy/restore.sh and their tests (tests/.../Deploy).
ensure_debian_package pg_dump postgresql-client
# initdb and pg_ctl, also when RUUM_TEST_POSTGRES names a cluster: the restore test starts a cluster of its own.
ensure_debian_package '/usr/lib/postgresql/*/bin/initdb' postgresql
ensure_postgres
export RUUM_TEST_CHROMIUM="${RUUM_TEST_CHROMIUM:-$(command -v chromium)}"
# Hundreds of in-process servers each watching appsettings*.json for changes exhaust the kernel's inotify
# instances (128 per user by default): the tests never edit those files, so no server watches them.
export DOTNET_hostBuilder__reloadConfigOnChange=false

if command -v docker-compose >/dev/null 2>&1 && [ -f docker-compose.yml ]; then
  echo "Checking docker-compose.yml ..."
  # Against the committed example, so the check needs no local secrets.
  RUUM_ENV_FILE=.env.example docker-compose --env-file .env.example -f docker-compose.yml config --quiet
fi
if command -v hadolint >/dev/null 2>&1; then
  echo "Linting deploy/Dockerfile ..."
  hadolint deploy/Dockerfile
elif command -v python3 >/dev/null 2>&1; then
  echo "Checking deploy/Dockerfile ..."
  python3 scripts/lib/check-dockerfile.py deploy/Dockerfile
fi
if command -v pg_dump >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then
  echo "Checking deploy/backup.sh ..."
  scripts/lib/check-backup.sh
fi

echo "Installing the SPA test client's pinned packages (tests/spa-client) ..."
(cd tests/spa-client && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

log=$(mktemp)
set +e
dotnet test Ruum.Identity.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test's summary block ("     Passed: N", "     Failed: N"), one per test project.
passed=$( (grep -E '^ +Passed: +[0-9]+$' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -E '^ +Failed: +[0-9]+$' "$log" || true) | awk '{s+=$2} END {print s+0}')
if [ "$failed" -gt 0 ]; then
  # The servers' logs bury each failure mid-run: repeat every failed test with its message and stack at the end,
  # where a CI log's tail shows it.
  echo "Failed tests:"
  awk '/^  Failed [^ ]/ {show=1} /^  (Passed|Skipped) [^ ]/ {show=0} /^(info|warn|fail|dbug): / {show=0} show' "$log" | head -n 400
fi
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
