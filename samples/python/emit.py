#!/usr/bin/python3
"""Post a message into a HostKit chat room through its Redis backplane, from outside .NET.

Written from docs/backplane.md alone: the keys, the fields and the append script are copied from it.
Needs redis-py (Debian: apt-get install python3-redis).

    /usr/bin/python3 samples/python/emit.py --redis redis://127.0.0.1:6379 --room lobby --text "Backup finished" [--name cron]
"""
import argparse
import re
import sys

import redis

# docs/backplane.md, "Posting an event: the append script", verbatim: the shared event steps (event.lua), then append.lua.
APPEND_SCRIPT = """\
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
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", required=True, help="redis://HOST:PORT, as the nodes' --backplane")
    parser.add_argument("--room", required=True, help="1 to 64 of A-Z a-z 0-9 _ -")
    parser.add_argument("--text", required=True, help="the message")
    parser.add_argument("--name", default="python", help="who says it (default: python)")
    parser.add_argument("--history-limit", type=int, default=1000, help="the nodes' HistoryLimit (default 1000)")
    parser.add_argument("--cid", help="this message's own id: run again with the same cid and it is stored once")
    args = parser.parse_args()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", args.room):
        parser.error("--room must be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'")

    client = redis.Redis.from_url(args.redis)
    room = args.room
    if args.cid is not None and not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", args.cid):
        parser.error("--cid must be 1 to 64 characters from A-Z, a-z, 0-9, '_', '-', '.' and ':'")
    with_cid = [args.cid, 1000, 3600] if args.cid is not None else []
    event_id, ts, _epoch, duplicate = client.eval(
        APPEND_SCRIPT,
        5,
        f"hostkit:chat:{{{room}}}:last-id",
        f"hostkit:chat:{{{room}}}:events",
        f"hostkit:chat:{{{room}}}:epoch",
        f"hostkit:chat:{{{room}}}:cids:{args.name}",
        f"hostkit:chat:{{{room}}}:written",
        args.history_limit,
        f"hostkit:chat:{{{room}}}:appended",
        "message",
        args.name,
        args.text,
        *with_cid,
        # No ARGV[9] 'synced': this script does not know how Redis keeps its data, so the room it writes to starts its log
        # again after Redis's next restart, whatever Redis's settings (docs/backplane.md#durability).
    )
    if duplicate:
        print(f"already in room {room} as event {event_id} (cid {args.cid}): not stored again")
    else:
        print(f"emitted to room {room} as event {event_id} at {ts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
