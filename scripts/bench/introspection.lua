-- The resource server introspects a user's access token; every 20th request (5 %) has a wrong secret and must get 401.
local form = "token=" .. os.getenv("BENCH_ACCESS_TOKEN")
local good = "Basic " .. os.getenv("BENCH_RESOURCE_BASIC")
local bad = "Basic " .. os.getenv("BENCH_RESOURCE_BAD_BASIC")
local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/connect/introspect", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = (n % 20 == 0) and bad or good,
  }, form)
end
