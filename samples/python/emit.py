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

# docs/backplane.md, "Posting an event: the append script", verbatim.
APPEND_SCRIPT = """\
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
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", required=True, help="redis://HOST:PORT, as the nodes' --backplane")
    parser.add_argument("--room", required=True, help="1 to 64 of A-Z a-z 0-9 _ -")
    parser.add_argument("--text", required=True, help="the message")
    parser.add_argument("--name", default="python", help="who says it (default: python)")
    parser.add_argument("--history-limit", type=int, default=1000, help="the nodes' HistoryLimit (default 1000)")
    args = parser.parse_args()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", args.room):
        parser.error("--room must be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'")

    client = redis.Redis.from_url(args.redis)
    room = args.room
    event_id, ts = client.eval(
        APPEND_SCRIPT,
        2,
        f"hostkit:chat:{{{room}}}:last-id",
        f"hostkit:chat:{{{room}}}:events",
        args.history_limit,
        f"hostkit:chat:{{{room}}}:appended",
        "message",
        args.name,
        args.text,
    )
    print(f"emitted to room {room} as event {event_id} at {ts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
