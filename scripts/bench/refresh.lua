-- Refresh-token rotation: each thread owns a share of the seeded tokens, spends one per request and keeps the
-- rotated one from the answer. Every 20th request (5 %) sends an unknown refresh token and must get 400.
local queue = {}
local n = 0

function init(args)
  local file = assert(io.open(os.getenv("BENCH_REFRESH_FILE")))
  local index = 0
  for line in file:lines() do
    if index % tonumber(os.getenv("BENCH_THREADS")) == id then table.insert(queue, line) end
    index = index + 1
  end
  file:close()
end

function request()
  n = n + 1
  local token
  if n % 20 == 0 or #queue == 0 then
    token = "invalid-refresh-token-" .. n
  else
    token = table.remove(queue, 1)
  end
  return wrk.format("POST", "/connect/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&client_id=dev-spa&refresh_token=" .. token)
end

function on_response(status, body)
  if status == 200 then
    table.insert(queue, string.match(body, '"refresh_token"%s*:%s*"([^"]+)"'))
  end
end
