-- wrk script: the single-PNG request of predict-png.lua, counting responses by status, so a run
-- far above capacity shows how many were shed with 503 and how fast.
-- Usage: wrk -t2 -c600 -d60s --latency -s bench/overload.lua http://localhost:8080
-- The request itself (one PNG as multipart to /predict) is predict-png.lua's; its response
-- handler is replaced below.
dofile("bench/predict-png.lua")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  retry_after = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and headers["Retry-After"] then
    retry_after = retry_after + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  local retry = 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
    retry = retry + t:get("retry_after")
  end
  for code, n in pairs(total) do
    io.write(string.format("status %d: %d\n", code, n))
  end
  io.write(string.format("503 with Retry-After: %d\n", retry))
end
