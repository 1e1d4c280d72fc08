-- wrk script for `make bench-api`: one endpoint per run, the same requests as bench/loadgen.py.
-- wrk -s bench/load/requests.lua URL -- MODE BODIES MAX_ID API_KEY
--   MODE     post-tickets | get-ticket | classify
--   BODIES   a file of request bodies (JSON), one per line, sent in turn
--   MAX_ID   GET picks ids uniformly in 1..MAX_ID
--   API_KEY  sent as X-API-Key (the reference app ignores it)
local mode, bodies, max_id, headers, next_body = nil, {}, 1, {}, 0

function init(args)
  mode = args[1]
  for line in io.lines(args[2]) do
    bodies[#bodies + 1] = line
  end
  max_id = tonumber(args[3])
  headers["Content-Type"] = "application/json"
  headers["X-API-Key"] = args[4]
  math.randomseed(7)
end

function request()
  if mode == "get-ticket" then
    return wrk.format("GET", "/tickets/" .. math.random(1, max_id), headers)
  end
  next_body = next_body % #bodies + 1
  local path = mode == "classify" and "/classify" or "/tickets"
  return wrk.format("POST", path, headers, bodies[next_body])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
