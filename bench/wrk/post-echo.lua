-- POST /echo with a 4 KiB body (the argument after --: the size in bytes).
init = function(args)
  local size = tonumber(args[1]) or 4096
  wrk.method = "POST"
  wrk.path = "/echo"
  wrk.body = string.rep("x", size)
  wrk.headers["Content-Type"] = "application/octet-stream"
end
