-- HostKit chat: append one event to a room's log (docs/backplane.md). Every writer runs this script, sent after event.lua.
-- KEYS[1] = hostkit:chat:{ROOM}:last-id    the room's id counter
-- KEYS[2] = hostkit:chat:{ROOM}:events     the room's stream
-- KEYS[3] = hostkit:chat:{ROOM}:epoch      the incarnation of the room's log (written with the first event)
-- KEYS[4] = hostkit:chat:{ROOM}:cids:NAME  the sender's recent cids (a sorted set: EPOCH/cid -> id)
-- KEYS[5] = hostkit:chat:{ROOM}:written    the run of Redis that last wrote the room (settle_room, event.lua)
-- ARGV[1] = the room's history limit (MAXLEN ~), ARGV[2] = hostkit:chat:{ROOM}:appended (the notification channel)
-- ARGV[3] = type: message, join or leave;  ARGV[4] = name;  ARGV[5] = text (messages only)
-- ARGV[6] = cid (optional, messages only), ARGV[7] = how many cids to remember per sender, ARGV[8] = for how many seconds
-- ARGV[9] = 'synced' when the writer knows Redis syncs its append-only file before answering (appendfsync always), else absent
-- ARGV[10] = the member id of the connection that spoke (HostKit's nodes), optional (ARGV[5] to ARGV[9] are then '' where
--            they have no value; a join or leave passes '' as its text)
-- Returns {id, ts, epoch, 1 when the cid was already stored (nothing new was) else 0}.
local kind, name, text, cid, member = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[10]
if kind ~= 'message' and kind ~= 'join' and kind ~= 'leave' then
  return redis.error_reply('ERR type must be message, join or leave')
end
if kind ~= 'message' and text == '' then
  text = nil
end
if member == '' then
  member = nil
end
if name == nil or name == '' then
  return redis.error_reply('ERR name must not be empty')
end
if (kind == 'message') ~= (text ~= nil) then
  return redis.error_reply('ERR a message has a text, join and leave have none')
end
if cid == '' then
  cid = nil
end
if KEYS[5] == nil then
  return redis.error_reply('ERR pass hostkit:chat:{ROOM}:written as KEYS[5] (docs/backplane.md)')
end
settle_room(KEYS[5], ARGV[9] == 'synced')
-- A cid is remembered with the epoch of the log it was stored in: once the log starts again, it is free to be stored anew.
local epoch = redis.call('GET', KEYS[3])
if cid ~= nil and epoch then
  local first = redis.call('ZSCORE', KEYS[4], epoch .. '/' .. cid)
  if first then
    -- A resend: answer with the first one's id (and its time, while the stream keeps it), store nothing.
    local id = string.format('%d-0', tonumber(first))
    local entry = redis.call('XRANGE', KEYS[2], id, id)
    local ts = 0
    if #entry > 0 then
      local fields = entry[1][2]
      for i = 1, #fields, 2 do
        if fields[i] == 'ts' then ts = tonumber(fields[i + 1]) end
      end
    end
    return {tonumber(first), ts, epoch, 1}
  end
end
local id, ts
id, ts, epoch = append_event(kind, name, text, member)
if cid ~= nil then
  redis.call('ZADD', KEYS[4], id, epoch .. '/' .. cid)
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -1 - tonumber(ARGV[7]))
  redis.call('EXPIRE', KEYS[4], ARGV[8])
end
return {id, tonumber(ts), epoch, 0}
