-- wrk script: POST /v1/explain with a good image, and every BAD_EVERY-th request a bad one (text with an image
-- content type). Counts answers by status; the summary line is parsed by run.sh.
local good_path = os.getenv("GOOD_IMAGE")
local bad_every = tonumber(os.getenv("BAD_EVERY") or "0")
local query = os.getenv("QUERY") or ""

local file = assert(io.open(good_path, "rb"))
local good = file:read("*a")
file:close()

local counter = 0
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function request()
  counter = counter + 1
  local body = good
  if bad_every > 0 and counter % bad_every == 0 then
    body = "this is not an image"
  end
  return wrk.format("POST", "/v1/explain" .. query, {["Content-Type"] = "image/png"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, status .. "=" .. n)
  end
  table.sort(parts)
  io.write(string.format("requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f socket_errors=%d statuses=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
