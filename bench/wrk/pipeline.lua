-- GET /plaintext pipelined: each write carries `depth` requests (the argument after --, default 16).
local batch
init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format("GET", "/plaintext")
  end
  batch = table.concat(requests)
end
request = function()
  return batch
end
