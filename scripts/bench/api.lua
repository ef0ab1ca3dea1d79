-- The sample API's GET /projects with a user's access token; every 20th request (5 %) has a garbage bearer token
-- and must get 401. With BENCH_ANONYMOUS=1 no token at all: the same endpoint's cost without validation.
local good = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")
local anonymous = os.getenv("BENCH_ANONYMOUS") == "1"
local n = 0

function request()
  n = n + 1
  if anonymous then
    return wrk.format("GET", "/projects")
  end
  return wrk.format("GET", "/projects", { ["Authorization"] = (n % 20 == 0) and "Bearer garbage.token.value" or good })
end
