-- client_credentials with HTTP Basic; every 20th request (5 %) has a wrong secret and must get 401.
local form = "grant_type=client_credentials&scope=ruum.api"
local good = "Basic " .. os.getenv("BENCH_CLIENT_BASIC")
local bad = "Basic " .. os.getenv("BENCH_CLIENT_BAD_BASIC")
local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/connect/token", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = (n % 20 == 0) and bad or good,
  }, form)
end
