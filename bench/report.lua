-- wrk script for bench/http.py: counts every response that is not 200 (wrk itself counts only
-- statuses of 400 and above, so a redirect to the sign-in page would otherwise pass unnoticed)
-- and prints one machine-readable line with the throughput and the latency percentiles.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_bad_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_bad_status == 0 then
      first_bad_status = status
    end
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  local first_bad = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
    if first_bad == 0 then
      first_bad = thread:get("first_bad_status")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d"
      .. " not_200=%d first_bad_status=%d socket_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    not_ok_total, first_bad,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
