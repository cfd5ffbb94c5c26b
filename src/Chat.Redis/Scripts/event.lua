-- HostKit chat: the steps every event takes when it is appended, whichever script appends it (docs/backplane.md).
-- The append, presence and read scripts are sent with this text before them (Redis scripts cannot call each other), so
-- a message, a join and a leave get their id, time and epoch, and are trimmed and announced, by the same lines, and
-- every script settles the room (below) before it touches it.
-- The scripts pass KEYS[1] = hostkit:chat:{ROOM}:last-id, KEYS[2] = hostkit:chat:{ROOM}:events,
-- KEYS[3] = hostkit:chat:{ROOM}:epoch, ARGV[1] = the room's history limit (MAXLEN ~), ARGV[2] = hostkit:chat:{ROOM}:appended.
local written_key, written_before, written_now
-- settle_room(key, synced): key = hostkit:chat:{ROOM}:written, which names the run of Redis that last wrote the room
-- ("RUN_ID", or "RUN_ID synced" when that writer knew Redis syncs its append-only file before answering, and so had every
-- earlier write of the room on disk too); synced = this writer knows it does (appendonly yes, appendfsync always).
-- Call it first, before reading the room.
local function settle_room(key, synced)
  local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
  local stamp = redis.call('GET', key)
  local last_run = stamp and string.match(stamp, '^%x+')
  local last_synced = stamp and string.find(stamp, ' synced$') ~= nil
  if last_run and last_run ~= run and not last_synced then
    -- Redis restarted since its last write to the room, and that run answered before its writes were on disk: its newest
    -- events may be gone, and their ids are in members' hands. Nobody can tell how many, so the room's log starts again,
    -- as if Redis had lost it: ids from 1 in a new epoch, and a member resuming from the old epoch is told (a reset gap).
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], key)
    stamp = nil
  end
  written_key, written_before = key, stamp
  written_now = run .. (synced and ' synced' or '')
end
-- append_event(kind, name, text, member): text is nil for join and leave; member (the connection's id) nil for none.
-- Returns id, ts (a string), epoch.
local function append_event(kind, name, text, member)
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
  if member ~= nil then
    table.insert(fields, 'member')
    table.insert(fields, member)
  end
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], string.format('%d-0', id), unpack(fields))
  redis.call('PUBLISH', ARGV[2], string.format('%d', id))
  if written_now ~= written_before then
    -- Whoever writes the room stamps it with this run of Redis, in the same step as the event: both survive a restart, or neither.
    redis.call('SET', written_key, written_now)
    written_before = written_now
  end
  return id, ts, epoch
end
