-- wrk script for the soak test (bench/soak.py): rotates over a mix of pages and counts answers.
--
-- The paths come one per line from the file named by SOAK_PATHS. Each wrk thread starts at a
-- different place in the list, so the connections don't all ask for the same page at once.
-- At the end it prints one line, parsed by soak.py:
--   SOAK requests=N 2xx=N 3xx=N 4xx=N 5xx=N 500=N 503=N

local paths = {}
for line in io.lines(os.getenv("SOAK_PATHS")) do
  if line ~= "" then
    paths[#paths + 1] = line
  end
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("offset", counter)
  threads[#threads + 1] = thread
  counter = counter + 7
end

function init(args)
  index = offset
  s2, s3, s4, s5, s500, s503, total = 0, 0, 0, 0, 0, 0, 0
  wrk.headers["Accept-Encoding"] = "gzip"
  wrk.headers["Accept-Language"] = "ar,en;q=0.8"
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  total = total + 1
  if status == 500 then
    s500 = s500 + 1
  elseif status == 503 then
    s503 = s503 + 1
  end
  if status >= 500 then
    s5 = s5 + 1
  elseif status >= 400 then
    s4 = s4 + 1
  elseif status >= 300 then
    s3 = s3 + 1
  else
    s2 = s2 + 1
  end
end

function done(summary, latency, requests)
  local t, a, b, c, d, e, f = 0, 0, 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t = t + thread:get("total")
    a = a + thread:get("s2")
    b = b + thread:get("s3")
    c = c + thread:get("s4")
    d = d + thread:get("s5")
    e = e + thread:get("s500")
    f = f + thread:get("s503")
  end
  io.write(string.format("SOAK requests=%d 2xx=%d 3xx=%d 4xx=%d 5xx=%d 500=%d 503=%d\n", t, a, b, c, d, e, f))
end
