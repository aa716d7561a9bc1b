-- wrk script: POSTs new recommendations with an admin key, each with a
-- title of its own, and counts the 201s it gets back.
-- Globals on purpose: setup() and done() reach a thread's state through
-- thread:set() and thread:get(), which see globals only.
counter, created, thread_id = 0, 0, 0
local threads = {}
local next_id = 0

setup = function(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

init = function(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"title":"Benchmark recommendation %d-%d","body":"Written by the benchmark to measure writes.",' ..
    '"target_level":"regional","status":"published","thematic_area_ids":[1,5],"partner_ids":[1]}',
    thread_id, counter)
  return wrk.format(nil, "/api/v1/recommendations", nil, body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("created") end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"non_2xx":%d,"created":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, total))
end
