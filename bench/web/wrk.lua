-- wrk script for bench/web/run.py: sends the persona's credentials (WRK_AUTHORIZATION, WRK_COOKIE) and
-- prints one JSON line of the run's figures at the end (latencies in microseconds).
local authorization = os.getenv("WRK_AUTHORIZATION")
local cookie = os.getenv("WRK_COOKIE")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
