-- HostKit chat: the nodes whose members are listed in rooms, and until when (docs/backplane.md).
-- KEYS[1] = hostkit:chat:nodes   a sorted set: node -> when its presence expires, Unix milliseconds by Redis's clock;
--                                -1 once another node has claimed it to take its members off
-- ARGV[1] = 'register' (ARGV[2] = node, ARGV[3] = expiry in ms): lists a new node; returns 1
--           'renew' (ARGV[2] = node, ARGV[3] = expiry in ms): extends the node's presence, even past its expiry as long
--                   as no node has claimed it, and returns 1; returns 0 once it is claimed or forgotten: its members
--                   may have been announced gone, and it must not come back under that id
--           'expired': returns the nodes whose presence has expired, claimed or not
--           'claim' (ARGV[2] = node): marks an expired node as claimed, so it cannot renew any more; returns 1, or 0
--                   when it renewed in time after all (or is gone)
--           'grace' (ARGV[3] = expiry in ms): gives every unclaimed node a whole expiry from now; run by a node that
--                   reaches Redis again after failing to, since nobody could renew while Redis was out of reach
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local mode = ARGV[1]
if mode == 'expired' then
  return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('(%d', ms))
end
local current = redis.call('ZSCORE', KEYS[1], ARGV[2])
if mode == 'claim' then
  if not current or tonumber(current) >= ms then
    return 0
  end
  redis.call('ZADD', KEYS[1], -1, ARGV[2])
  return 1
end
local until_ms = string.format('%d', ms + tonumber(ARGV[3]))
if mode == 'grace' then
  local late = redis.call('ZRANGEBYSCORE', KEYS[1], 0, string.format('(%s', until_ms))
  for _, node in ipairs(late) do
    redis.call('ZADD', KEYS[1], until_ms, node)
  end
  return #late
end
if mode == 'register' then
  redis.call('ZADD', KEYS[1], until_ms, ARGV[2])
  return 1
elseif mode == 'renew' then
  if not current or tonumber(current) < 0 then
    return 0
  end
  redis.call('ZADD', KEYS[1], until_ms, ARGV[2])
  return 1
end
return redis.error_reply('ERR mode must be register, renew, expired, claim or grace')
