-- HostKit chat: the steps every event takes when it is appended, whichever script appends it (docs/backplane.md).
-- The append and presence scripts are sent with this text before them (Redis scripts cannot call each other), so
-- a message, a join and a leave get their id, time and epoch, and are trimmed and announced, by the same lines.
-- Both scripts pass KEYS[1] = hostkit:chat:{ROOM}:last-id, KEYS[2] = hostkit:chat:{ROOM}:events,
-- KEYS[3] = hostkit:chat:{ROOM}:epoch, ARGV[1] = the room's history limit (MAXLEN ~), ARGV[2] = hostkit:chat:{ROOM}:appended.
-- append_event(kind, name, text): text is nil for join and leave. Returns id, ts (a string), epoch.
local function append_event(kind, name, text)
  local id = redis.call('INCR', KEYS[1])
  local now = redis.call('TIME')
  -- string.format, because Lua would print a large number in exponent form.
  local ts = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
  local epoch = redis.call('GET', KEYS[3])
  if not epoch then
    -- The first event of this incarnation (or the first since epochs exist): Redis's clock in microseconds names it.
    epoch = string.format('%d%06d', tonumber(now[1]), tonumber(now[2]))
    redis.call('SET', KEYS[3], epoch)
  end
  local fields = {'type', kind, 'name', name, 'ts', ts}
  if text ~= nil then
    table.insert(fields, 'text')
    table.insert(fields, text)
  end
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], string.format('%d-0', id), unpack(fields))
  redis.call('PUBLISH', ARGV[2], string.format('%d', id))
  return id, ts, epoch
end
