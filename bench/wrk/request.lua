-- Any request, for benchmarking an application's own routes (--http, --workload-file): the arguments after -- are
-- METHOD PATH BODY_BYTES DEPTH. A body of BODY_BYTES 'x' bytes is sent when it is above 0 (application/octet-stream);
-- DEPTH above 1 pipelines: each write carries DEPTH requests.
local batch
init = function(args)
  local method = args[1] or "GET"
  local path = args[2] or "/"
  local size = tonumber(args[3]) or 0
  local depth = tonumber(args[4]) or 1
  local body = nil
  local headers = {}
  if size > 0 then
    body = string.rep("x", size)
    headers["Content-Type"] = "application/octet-stream"
  end
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format(method, path, headers, body)
  end
  batch = table.concat(requests)
end
request = function()
  return batch
end
