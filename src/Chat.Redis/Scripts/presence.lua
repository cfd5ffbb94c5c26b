-- HostKit chat: who is in a room, listed per node, with their join and leave events (docs/backplane.md). Sent after event.lua.
-- KEYS[1] = hostkit:chat:{ROOM}:last-id, KEYS[2] = hostkit:chat:{ROOM}:events, KEYS[3] = hostkit:chat:{ROOM}:epoch
--           as for the append script
-- KEYS[4] = hostkit:chat:{ROOM}:members:NODE   a hash: the node's members in the room, member id -> name
-- KEYS[5] = hostkit:chat:{ROOM}:written        as for the append script
-- ARGV[1] = the room's history limit (MAXLEN ~), ARGV[2] = hostkit:chat:{ROOM}:appended
-- ARGV[3] = 'join' (ARGV[4] = member id, ARGV[5] = name): lists the member and appends its join
--           'leave' (ARGV[4] = member id): takes the member off and appends its leave, if it was still listed
--           'expire': takes every member of the node off (the node stopped renewing) and appends a leave for each
-- ARGV[6] = 'synced' as for the append script (ARGV[4] and ARGV[5] are then passed as '' where a mode has none)
-- Returns the events appended, each {id, ts, name, epoch, member}: a leave is appended exactly once, by whoever takes the
-- member off. The member id is stored in the join and the leave, so that members who share a name are told apart.
local function append(kind, name, member)
  local id, ts, epoch = append_event(kind, name, nil, member)
  return {id, tonumber(ts), name, epoch, member}
end
if KEYS[5] == nil then
  return redis.error_reply('ERR pass hostkit:chat:{ROOM}:written as KEYS[5] (docs/backplane.md)')
end
settle_room(KEYS[5], ARGV[6] == 'synced')
local mode = ARGV[3]
if mode == 'join' then
  if ARGV[5] == nil or ARGV[5] == '' then
    return redis.error_reply('ERR name must not be empty')
  end
  redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])
  return {append('join', ARGV[5], ARGV[4])}
elseif mode == 'leave' then
  local name = redis.call('HGET', KEYS[4], ARGV[4])
  if not name then
    return {}
  end
  redis.call('HDEL', KEYS[4], ARGV[4])
  return {append('leave', name, ARGV[4])}
elseif mode == 'expire' then
  local members = redis.call('HGETALL', KEYS[4])
  redis.call('DEL', KEYS[4])
  local appended = {}
  for i = 2, #members, 2 do
    table.insert(appended, append('leave', members[i], members[i - 1]))
  end
  return appended
end
return redis.error_reply('ERR mode must be join, leave or expire')
