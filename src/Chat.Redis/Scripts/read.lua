-- HostKit chat: read part of a room's log at one instant (docs/backplane.md). Sent after event.lua.
-- KEYS[1] = hostkit:chat:{ROOM}:last-id, KEYS[2] = hostkit:chat:{ROOM}:events, KEYS[3] = hostkit:chat:{ROOM}:epoch
-- KEYS[4] = hostkit:chat:{ROOM}:written: the room is settled first (settle_room), so a reader never takes the log of an
--           earlier run of Redis that may have lost its newest events for the current one. That may write (start the log again).
-- ARGV[1] = 'after': the events from the entry id ARGV[2] (the id wanted next, as ID-0) on, at most ARGV[3] of them (0: all)
--           'latest': the newest ARGV[2] events (0: none, to read the ids only), newest first
-- Returns {newest id ever assigned, the oldest kept entry (or none), the entries, the epoch (or '')}.
if KEYS[4] == nil then
  return redis.error_reply('ERR pass hostkit:chat:{ROOM}:written as KEYS[4] (docs/backplane.md)')
end
settle_room(KEYS[4], false)
local newest = tonumber(redis.call('GET', KEYS[1]) or '0')
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local entries
if ARGV[1] == 'after' then
  if tonumber(ARGV[3]) > 0 then
    entries = redis.call('XRANGE', KEYS[2], ARGV[2], '+', 'COUNT', ARGV[3])
  else
    entries = redis.call('XRANGE', KEYS[2], ARGV[2], '+')
  end
elseif tonumber(ARGV[2]) > 0 then
  entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[2])
else
  entries = {}
end
return {newest, oldest, entries, redis.call('GET', KEYS[3]) or ''}
