-- wrk script for bench/checkin.py. The path and the device token come from the environment
-- (BENCH_PATH, BENCH_AUTHORIZATION). With a file after "--", each of its lines is POSTed as a
-- JSON body, each line once, spread over wrk's threads; without one, the path is fetched with
-- GET. done() prints one JSON line of figures.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
  -- threads start only after every setup(), so each learns the final count
  for _, each in ipairs(threads) do
    each:set("count_of_threads", #threads)
  end
end

function init(args)
  path = os.getenv("BENCH_PATH")
  bodies, index = {}, 0
  if args[1] and args[1] ~= "" then
    local line_number = 0
    for line in io.lines(args[1]) do
      if line_number % count_of_threads == id then
        table.insert(bodies, line)
      end
      line_number = line_number + 1
    end
    headers = {["Content-Type"] = "application/json",
               ["Authorization"] = os.getenv("BENCH_AUTHORIZATION")}
  end
end

function request()
  if #bodies == 0 then
    return wrk.format("GET", path)
  end
  index = index % #bodies + 1
  return wrk.format("POST", path, headers, bodies[index])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_ms": %f, "p90_ms": %f, "p99_ms": %f, "max_ms": %f}\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
