-- HostKit chat: append one event to a room's log (docs/backplane.md). Every writer runs this script.
-- KEYS[1] = hostkit:chat:{ROOM}:last-id    the room's id counter
-- KEYS[2] = hostkit:chat:{ROOM}:events     the room's stream
-- ARGV[1] = the room's history limit (MAXLEN ~), ARGV[2] = hostkit:chat:{ROOM}:appended (the notification channel)
-- ARGV[3] = type: message, join or leave;  ARGV[4] = name;  ARGV[5] = text (messages only)
local kind, name, text = ARGV[3], ARGV[4], ARGV[5]
if kind ~= 'message' and kind ~= 'join' and kind ~= 'leave' then
  return redis.error_reply('ERR type must be message, join or leave')
end
if name == nil or name == '' then
  return redis.error_reply('ERR name must not be empty')
end
if (kind == 'message') ~= (text ~= nil) then
  return redis.error_reply('ERR a message has a text, join and leave have none')
end
local id = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
-- string.format, because Lua would print a large number in exponent form.
local ts = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local fields = {'type', kind, 'name', name, 'ts', ts}
if text ~= nil then
  table.insert(fields, 'text')
  table.insert(fields, text)
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], string.format('%d-0', id), unpack(fields))
redis.call('PUBLISH', ARGV[2], string.format('%d', id))
return {id, tonumber(ts)}
