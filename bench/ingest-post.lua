-- wrk script of bench/ingest: POSTs one file's bytes on every request.
--   wrk -s bench/ingest-post.lua URL -- FILE CONTENT_TYPE
local body_file, content_type = "", "application/json"

function init(args)
  body_file = args[1]
  content_type = args[2] or content_type
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = content_type
  wrk.headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1"
end
