-- The sample API with a user's access token; every 20th request (5 %) has a garbage bearer token and must get 401.
-- With BENCH_ANONYMOUS=1 no token at all: the same endpoint's cost without validation. With BENCH_VALID_ONLY=1 every
-- request carries the valid token (the like-for-like /health pair). The path is the one wrk was given.
local good = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")
local anonymous = os.getenv("BENCH_ANONYMOUS") == "1"
local validOnly = os.getenv("BENCH_VALID_ONLY") == "1"
local n = 0

function request()
  n = n + 1
  if anonymous then
    return wrk.format("GET", wrk.path)
  end
  local garbage = not validOnly and n % 20 == 0
  return wrk.format("GET", wrk.path, { ["Authorization"] = garbage and "Bearer garbage.token.value" or good })
end
