#!/usr/bin/env bash
# The benchmark (README "Performance"). Not a test: it asserts nothing and never runs in CI.
# Builds Release, starts the server on a throwaway PostgreSQL, drives it from this machine with wrk
# (keep-alive connections) and with bench/Ruum.Identity.Bench for browser-like logins, and prints one
# table of medians over BENCH_REPEAT runs. Settings: BENCH_DURATION (s, default 10), BENCH_REPEAT (3),
# BENCH_CONNECTIONS (32), BENCH_THREADS (wrk threads, 1), BENCH_WARMUP (s of unrecorded load before each
# scenario, 40: on 2 cores the JIT's background tier-up of a scenario's code paths, with dynamic PGO's instrumented
# stage, takes 30-50 s of load; with 10 s the first repetitions measured it, not the server), BENCH_REFRESH_WARMUP
# (150: refresh runs far more code, mostly EF Core's generic query and update paths, and its tier-up goes on for
# 80-110 s under refresh load; after 90 s the first repetition was the slowest in each of six runs), BENCH_ONLY
# (comma-separated first words of the scenarios to run, e.g. "client,refresh").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

DURATION=${BENCH_DURATION:-10}
REPEAT=${BENCH_REPEAT:-3}
WARMUP=${BENCH_WARMUP:-40}
REFRESH_WARMUP=${BENCH_REFRESH_WARMUP:-150}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
export BENCH_THREADS=${BENCH_THREADS:-1}
ONLY=${BENCH_ONLY:-}
CLOCK_TICKS=$(getconf CLK_TCK)
CORES=$(nproc)

ensure_debian_package wrk wrk
ensure_debian_package openssl openssl
ensure_debian_package curl curl
ensure_postgres

WORK=$(mktemp -d /tmp/ruum-bench.XXXXXX)
SERVER_PID=""
API_PID=""
stop_api() {
  if [ -n "$API_PID" ]; then
    kill "$API_PID" 2>/dev/null || true
    wait "$API_PID" 2>/dev/null || true
    API_PID=""
  fi
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_api
  stop_server
  rm -rf "$WORK"
  stop_throwaway_postgres
}
trap cleanup EXIT

echo "Building Release (ReadyToRun, as a container image should ship it) ..."
dotnet publish src/Ruum.Identity -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$WORK/app" --nologo -v q >/dev/null
dotnet publish src/Ruum.Identity.SampleApi -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$WORK/api" --nologo -v q >/dev/null
dotnet build bench/Ruum.Identity.Bench -c Release -o "$WORK/driver" --nologo -v q >/dev/null
driver() { dotnet "$WORK/driver/Ruum.Identity.Bench.dll" "$@"; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/ec.pem" 2>/dev/null
ENCRYPTION_KEY=$(openssl rand -base64 32)
DATABASE="ruum_bench_$$"
CONNECTION=$(echo "$RUUM_TEST_POSTGRES" | sed -E "s/Database=[^;]*/Database=$DATABASE/")
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
OWNER_EMAIL="owner@ruum.test"
OWNER_PASSWORD="Ruum-Dev-Password-1"
OWNER_TOTP_SECRET="JBSWY3DPEHPK3PXP"   # DevelopmentSeed.OwnerAuthenticatorSecret
DEVICE="$WORK/device-cookie.txt"

# Release build in the Development environment: plain HTTP on loopback and the development seed
# (clients dev-service, dev-spa, ruum-api and the owner user), with console logging at Warning. All load comes
# from one loopback address, so the per-IP login rate limit (20/min) is lifted; the access-token lifetime is an
# hour so the introspected token outlives the run (a lifetime costs nothing per request).
# SERVER_ENVIRONMENT=Production starts it as deployed instead (no migration check, no seed), with throwaway values
# for the settings Production refuses to start without, and loopback as the trusted TLS-terminating proxy (the
# readiness probe says X-Forwarded-Proto: https, as Render's proxy does); only start-up is measured that way.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/dp-key.pem" -out "$WORK/dp-cert.pem" -days 2 -subj "/CN=ruum-bench" 2>/dev/null
cat "$WORK/dp-cert.pem" "$WORK/dp-key.pem" >"$WORK/data-protection.pem"
PRODUCTION_SETTINGS="Ruum__Tokens__Issuer=https://id.ruum.test/ AllowedHosts=id.ruum.test;127.0.0.1 Ruum__Email__SmtpHost=127.0.0.1 Ruum__Proxy__KnownProxies__0=127.0.0.1
  Ruum__Passwords__Pepper=$(openssl rand -hex 32) Ruum__Otp__HashingKey=$(openssl rand -hex 32)
  Ruum__Clients__SecretHashKey=$(openssl rand -hex 32) Ruum__DataProtection__Certificates__0__File=$WORK/data-protection.pem"
start_server() { # first-signing-key [second-signing-key]
  (
    cd "$WORK/app"
    if [ "${SERVER_ENVIRONMENT:-Development}" = Production ]; then export $PRODUCTION_SETTINGS; fi
    export ASPNETCORE_ENVIRONMENT="${SERVER_ENVIRONMENT:-Development}" ASPNETCORE_URLS="$BASE" \
      Ruum__Database__Provider=PostgreSQL ConnectionStrings__Default="$CONNECTION" \
      Ruum__Signing__Keys__0__PemFile="$1" Ruum__Signing__EncryptionKey="$ENCRYPTION_KEY" \
      Ruum__Tokens__AccessTokenLifetime=01:00:00 Ruum__Lockout__LoginRequestsPerWindow=100000 Ruum__Lockout__ClientAuthenticationFailuresPerWindow=100000 \
      Logging__LogLevel__Default=Warning
    if [ -n "${2:-}" ]; then export Ruum__Signing__Keys__1__PemFile="$2"; fi
    exec dotnet Ruum.Identity.dll >"$WORK/server.log" 2>&1
  ) &
  SERVER_PID=$!
  local started=$(date +%s%N)
  # Ready means the discovery document itself (200), not Production's redirect of plain HTTP to https.
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$BASE/.well-known/openid-configuration" 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.log" >&2; exit 1; fi
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}

# The measured process: the server, or the sample API while its scenarios run.
measured() { echo "${MEASURED_PID:-$SERVER_PID}"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(measured)/stat"; }
reset_peak_rss() { echo 5 > "/proc/$(measured)/clear_refs" 2>/dev/null || true; }
rss_mb() { awk -v field="$1" '$1 == field":" {printf "%.0f", $2 / 1024}' "/proc/$(measured)/status"; }

RESULTS="$WORK/results.txt"
: >"$RESULTS"
wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",${1%% *}"* ]] || [[ ",$ONLY," == *",$1,"* ]]; }

# One row: scenario | requests/s | p50 ms | p99 ms | CPU µs/request | peak RSS MB | statuses
record() { # scenario requests seconds p50_ms p99_ms cpu_ticks statuses
  local cpu_us="-"
  if [ "$6" != "-" ] && [ "$2" -gt 0 ]; then cpu_us=$(( $6 * 1000000 / CLOCK_TICKS / $2 )); fi
  awk -v s="$1" -v n="$2" -v t="$3" -v p50="$4" -v p99="$5" -v cpu="$cpu_us" -v rss="$(rss_mb VmHWM)" -v st="$7" \
    'BEGIN { printf "%s|%.1f|%s|%s|%s|%s|%s\n", s, n / t, p50, p99, cpu, rss, st }' >>"$RESULTS"
}

field() { sed -E "s/.*[ ^]$1=([^ ]*).*/\1/" <<<" $2"; }

run_wrk() { # scenario lua-file path [connections]
  wanted "$1" || return 0
  local script="$WORK/scenario.lua" before out line
  cat scripts/bench/common.lua ${2:+"$2"} >"$script"
  # Unrecorded warm-up: tiered JIT, connection pools and caches settle before anything is measured.
  [ -n "${BEFORE_EACH:-}" ] && $BEFORE_EACH
  wrk -t"$BENCH_THREADS" -c"${4:-$CONNECTIONS}" -d"${SCENARIO_WARMUP:-$WARMUP}s" -s "$script" "$BASE$3" >/dev/null
  for _ in $(seq "$REPEAT"); do
    [ -n "${BEFORE_EACH:-}" ] && $BEFORE_EACH
    reset_peak_rss
    before=$(cpu_ticks)
    out=$(wrk -t"$BENCH_THREADS" -c"${4:-$CONNECTIONS}" -d"${DURATION}s" -s "$script" "$BASE$3")
    line=$(grep '^RESULT' <<<"$out")
    record "$1" "$(field requests "$line")" "$(field seconds "$line")" \
      "$(awk -v us="$(field p50_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')" \
      "$(awk -v us="$(field p99_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')" \
      "$(( $(cpu_ticks) - before ))" "$(field statuses "$line"),sock:$(field socket_errors "$line")"
  done
}

run_logins() { # scenario concurrency seconds
  local before out
  reset_peak_rss
  before=$(cpu_ticks)
  out=$(driver login "$BASE/" "$OWNER_EMAIL" "$OWNER_PASSWORD" "$DEVICE" "$2" "$3")
  record "$1" "$(field requests "$(grep ^requests <<<"$out")")" "$3" "$(field p50_ms "$(grep ^p50 <<<"$out")")" \
    "$(field p99_ms "$(grep ^p99 <<<"$out")")" "$(( $(cpu_ticks) - before ))" "$(grep ^statuses <<<"$out" | cut -d= -f2 | tr ' ' ',')"
}

basic() { printf '%s:%s' "$1" "$2" | base64 -w0; }
export BENCH_CLIENT_BASIC=$(basic dev-service dev-service-secret)
export BENCH_CLIENT_BAD_BASIC=$(basic dev-service wrong-secret)
export BENCH_RESOURCE_BASIC=$(basic ruum-api ruum-api-secret)
export BENCH_RESOURCE_BAD_BASIC=$(basic ruum-api wrong-secret)

echo "Migrating and seeding ..."
start_server "$WORK/rsa.pem"
stop_server

echo "Measuring start-up on the migrated database (RS256), $REPEAT times: as deployed, then in Development ..."
measure_startup() { # scenario environment
  for _ in $(seq "$REPEAT"); do
    SERVER_ENVIRONMENT=$2 start_server "$WORK/rsa.pem"
    sleep 2
    echo "$1|-|-|-|-|$(rss_mb VmRSS)|$READY_MS" >>"$RESULTS"
    stop_server
  done
}
measure_startup "startup as deployed (Production, migrated database)" Production
measure_startup "startup in Development (migration check and seed)" Development
# This machine's signature ceilings, timed in the same run with no server running (a server that has just started
# is still compiling in the background): token figures are read against them.
driver crypto 2 >"$WORK/crypto.txt"
start_server "$WORK/rsa.pem"

# Once: password + authenticator code with "trust this device"; every later login skips the second step.
driver trust-device "$BASE/" "$OWNER_EMAIL" "$OWNER_PASSWORD" "$OWNER_TOTP_SECRET" "$DEVICE" >/dev/null

echo "Running scenarios: ${DURATION}s x $REPEAT each ..."
run_wrk "discovery" "" "/.well-known/openid-configuration"
run_wrk "jwks" "" "/.well-known/jwks"
run_wrk "client credentials RS256 (5% wrong secret)" scripts/bench/client_credentials.lua "/connect/token"

seed_refresh_tokens() {
  driver refresh-tokens "$BASE/" "$OWNER_EMAIL" "$OWNER_PASSWORD" "$DEVICE" $(( CONNECTIONS * 2 )) "$WORK/refresh.txt" >/dev/null
}
export BENCH_REFRESH_FILE="$WORK/refresh.txt"
if wanted "refresh" || wanted "introspection" || wanted "api"; then seed_refresh_tokens; fi
export BENCH_ACCESS_TOKEN=$(cat "$WORK/refresh.txt.access" 2>/dev/null || echo none)
SCENARIO_WARMUP=$REFRESH_WARMUP BEFORE_EACH=seed_refresh_tokens run_wrk "refresh token (5% unknown token)" scripts/bench/refresh.lua "/connect/token"
run_wrk "introspection (5% wrong secret)" scripts/bench/introspection.lua "/connect/introspect"

if wanted "api"; then
  # The floor under the api rows: the same token validated by IdentityModel alone, one thread, no pipeline.
  driver validate "$BASE/.well-known/jwks" "$BENCH_ACCESS_TOKEN" 3 >"$WORK/validate.txt"
  # The sample API validates offline (discovery + JWKS fetched once); its CPU is what the rows show.
  API_PORT=$(free_port)
  AUTHORITY="$BASE/"
  start_api() { # [setting=value ...]
    (
      cd "$WORK/api"
      export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" Ruum__Authority="$AUTHORITY" \
        Ruum__AllowHttpAuthority=true Logging__LogLevel__Default=Warning "$@"
      exec dotnet Ruum.Identity.SampleApi.dll >"$WORK/api.log" 2>&1
    ) &
    API_PID=$!
    until curl -s -o /dev/null "http://127.0.0.1:$API_PORT/projects" 2>/dev/null; do sleep 0.05; done
  }
  start_api
  SAVED_BASE=$BASE
  BASE="http://127.0.0.1:$API_PORT"
  MEASURED_PID=$API_PID run_wrk "api GET /projects, user token (5% garbage token)" scripts/bench/api.lua "/projects"
  BENCH_ANONYMOUS=1 MEASURED_PID=$API_PID run_wrk "api GET /projects, anonymous (401)" scripts/bench/api.lua "/projects"
  # Like for like: the anonymous /health runs the same endpoint, so the difference is the validation alone.
  BENCH_VALID_ONLY=1 MEASURED_PID=$API_PID run_wrk "api GET /health, user token (validated, 204)" scripts/bench/api.lua "/health"
  BENCH_ANONYMOUS=1 MEASURED_PID=$API_PID run_wrk "api GET /health, anonymous (204)" scripts/bench/api.lua "/health"
  # The same token with the validated-token cache off: every request checks the signature (a token's first request).
  stop_api
  start_api Ruum__ValidatedTokenCacheSize=0
  BENCH_VALID_ONLY=1 MEASURED_PID=$API_PID run_wrk "api GET /health, user token, token cache off (204)" scripts/bench/api.lua "/health"
  BASE=$SAVED_BASE
  stop_api
fi

if wanted "login"; then
  # Twice as many browsers as cores keep every bcrypt slot busy while the other half walks the other steps.
  driver login "$BASE/" "$OWNER_EMAIL" "$OWNER_PASSWORD" "$DEVICE" $(( CORES * 2 )) "$WARMUP" >/dev/null
  # The ceiling the login rows are read against is timed right before and right after them: this host's speed
  # drifts by 10-30 % within a run, so a figure from the start of the run could be from a faster or slower hour.
  driver bcrypt 12 8 >"$WORK/bcrypt-before.txt"
  for _ in $(seq "$REPEAT"); do
    run_logins "login: authorize + password form + code exchange ($(( CORES * 2 )) browsers)" $(( CORES * 2 )) $(( DURATION * 2 ))
  done
  driver bcrypt 12 8 >"$WORK/bcrypt-after.txt"
fi

if wanted "flood"; then
  for _ in $(seq "$REPEAT"); do
    cat scripts/bench/common.lua scripts/bench/client_credentials.lua >"$WORK/flood-cc.lua"
    cp scripts/bench/common.lua "$WORK/flood-discovery.lua"
    reset_peak_rss
    driver login "$BASE/" "$OWNER_EMAIL" "$OWNER_PASSWORD" "$DEVICE" 64 "$DURATION" >"$WORK/flood-login.txt" &
    login_pid=$!
    wrk -t1 -c16 -d"${DURATION}s" -s "$WORK/flood-cc.lua" "$BASE/connect/token" >"$WORK/flood-cc.txt" &
    cc_pid=$!
    wrk -t1 -c2 -d"${DURATION}s" -s "$WORK/flood-discovery.lua" "$BASE/.well-known/openid-configuration" >"$WORK/flood-discovery.txt"
    wait "$cc_pid" "$login_pid"
    for part in cc discovery; do
      line=$(grep '^RESULT' "$WORK/flood-$part.txt")
      name=$([ "$part" = cc ] && echo "flood: client credentials beside 64 logins" || echo "flood: discovery beside 64 logins")
      record "$name" "$(field requests "$line")" "$(field seconds "$line")" \
        "$(awk -v us="$(field p50_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')" \
        "$(awk -v us="$(field p99_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')" "-" \
        "$(field statuses "$line"),sock:$(field socket_errors "$line")"
    done
    out=$(cat "$WORK/flood-login.txt")
    record "flood: 64 concurrent logins" "$(field requests "$(grep ^requests <<<"$out")")" "$DURATION" \
      "$(field p50_ms "$(grep ^p50 <<<"$out")")" "$(field p99_ms "$(grep ^p99 <<<"$out")")" "-" \
      "$(grep ^statuses <<<"$out" | cut -d= -f2 | tr ' ' ',')"
  done
fi
stop_server

if wanted "client" || wanted "refresh" || wanted "jwks"; then
  echo "Restarting with an EC P-256 key first (ES256) ..."
  start_server "$WORK/ec.pem" "$WORK/rsa.pem"
  run_wrk "client credentials ES256 (5% wrong secret)" scripts/bench/client_credentials.lua "/connect/token"
  SCENARIO_WARMUP=$REFRESH_WARMUP BEFORE_EACH=seed_refresh_tokens run_wrk "refresh token ES256 (5% unknown token)" scripts/bench/refresh.lua "/connect/token"
  run_wrk "jwks ES256 + RS256" "" "/.well-known/jwks"
  stop_server
fi

[ -n "${BENCH_RAW:-}" ] && cat "$RESULTS"
python3 - "$RESULTS" "$CORES" "$WORK/crypto.txt" "$WORK/validate.txt" "$WORK/bcrypt-before.txt" "$WORK/bcrypt-after.txt" <<'PY'
import os, statistics, sys
rows, order = {}, []
for line in open(sys.argv[1]):
    name, *values = line.rstrip("\n").split("|")
    if name not in rows:
        order.append(name)
    rows.setdefault(name, []).append(values)

def median(column):
    numbers = [float(v) for v in column if v not in ("-", "")]
    return statistics.median(numbers) if numbers else None

def pairs(path):  # the driver's "key=value" lines
    return dict(line.strip().split("=") for line in open(path) if "=" in line)

def fmt(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"

def statuses(runs):
    total = {}
    for run in runs:
        for part in run[5].split(","):
            if ":" in part:
                key, count = part.split(":")
                total[key] = total.get(key, 0) + int(count)
    return " ".join(f"{k}:{v}" for k, v in sorted(total.items()) if not (k == "sock" and v == 0))

header = ["scenario", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "peak RSS MB", "responses (all runs)"]
table = []
for name in order:
    runs = rows[name]
    if name.startswith("startup"):
        table.append([name, "-", "-", "-", "-", fmt(median([r[4] for r in runs])),
                      f"median of idle RSS and of ready {fmt(median([r[5] for r in runs]))} ms"
                      f" (runs: {', '.join(r[5] for r in runs)} ms)"])
        continue
    table.append([name, fmt(median([r[0] for r in runs]), 1), fmt(median([r[1] for r in runs]), 2),
                  fmt(median([r[2] for r in runs]), 2), fmt(median([r[3] for r in runs])),
                  fmt(max(float(r[4]) for r in runs)), statuses(runs)])
cores = int(sys.argv[2])
if os.path.exists(sys.argv[6]):  # timed before and after the login rows, so only when they ran
    before, after = pairs(sys.argv[5]), pairs(sys.argv[6])
    for key, label in (("bcrypt_seconds", f"bcrypt ceiling (cost 12, one core alone x {cores} cores"),
                       ("bcrypt_all_cores_seconds", f"bcrypt, {cores} cores verifying at once (cost 12")):
        a, b = float(before[key]), float(after[key])
        table.append([f"{label}: {(a + b) / 2 * 1000:.0f} ms/verify; timed before and after the login rows:"
                      f" {a * 1000:.0f} and {b * 1000:.0f} ms)", f"{cores * 2 / (a + b):.1f}", "-", "-", "-", "-", "-"])
crypto = pairs(sys.argv[3])
table.append([f"RS256 signing ceiling ({cores} cores x {float(crypto['rs256_sign_per_second']):,.0f}/s)",
              fmt(cores * float(crypto["rs256_sign_per_second"]), 1), "-", "-", "-", "-", "-"])
table.append([f"RS256 signing, {cores} cores at once (measured)",
              fmt(float(crypto["rs256_sign_all_cores_per_second"]), 1), "-", "-", "-", "-", "-"])
table.append([f"ES256 signing ceiling ({cores} cores x {float(crypto['es256_sign_per_second']):,.0f}/s)",
              fmt(cores * float(crypto["es256_sign_per_second"]), 1), "-", "-", "-", "-", "-"])
table.append(["RS256 verification (one, CPU)", "-", "-", "-", crypto["rs256_verify_us"], "-", "-"])
if os.path.exists(sys.argv[4]):
    table.append(["access-token validation, IdentityModel alone (one, CPU)", "-", "-", "-",
                  pairs(sys.argv[4])["jwt_validate_us"], "-", "-"])
widths = [max(len(str(row[i])) for row in [header] + table) for i in range(len(header))]
print()
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for row in table:
    print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
PY
