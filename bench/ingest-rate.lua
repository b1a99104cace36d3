-- wrk script of bench/ingest: GETs at a fixed total rate (requests/s, split evenly over wrk's threads),
-- for latency at a given load instead of at saturation. Each thread keeps its own schedule: a request
-- waits until its slot (wall clock via LuaJIT's ffi), so the rate holds while connections are free.
--   wrk -t2 -c32 -s bench/ingest-rate.lua URL -- RATE THREADS
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } ql_timeval;
  int gettimeofday(ql_timeval *tv, void *tz);
]]
local tv = ffi.new("ql_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local interval, next_at = 1, nil

function init(args)
  local rate = tonumber(args[1])
  local threads = tonumber(args[2] or "1")
  interval = 1000 * threads / rate
end

function delay()
  local now = now_ms()
  if next_at == nil or next_at < now - 1000 then next_at = now end
  next_at = next_at + interval
  local wait = next_at - now
  if wait < 0 then return 0 end
  return wait
end
