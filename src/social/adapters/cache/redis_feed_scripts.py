"""The Lua scripts of the Redis feed store (redis_feed_store.py has the layout they keep).

Each runs atomically in Redis, so a read, a push racing a rebuild or a trim is one round trip and
never sees another half done.
"""

from __future__ import annotations

__all__ = ["DROP_ACTOR", "PUSH", "READ", "REPLACE", "RETRACT"]

# KEYS: feed, meta, building, pending, ... four per owner. ARGV: score, member, max_length,
# grace ms, build ms. Adds only to built feeds, or aside for feeds being built; a set created by
# the add takes the marker's expiry plus the grace.
PUSH = """
local score, member = ARGV[1], ARGV[2]
local max_length, grace = tonumber(ARGV[3]), tonumber(ARGV[4])
local took = 0
for i = 1, #KEYS, 4 do
  local feed, meta = KEYS[i], KEYS[i + 1]
  local ttl = redis.call('PTTL', meta)
  if ttl ~= -2 then
    local created = redis.call('EXISTS', feed) == 0
    redis.call('ZADD', feed, score, member)
    if created and ttl > 0 then redis.call('PEXPIRE', feed, ttl + grace) end
    local excess = redis.call('ZCARD', feed) - max_length
    if excess > 0 then
      redis.call('ZREMRANGEBYRANK', feed, 0, excess - 1)
      redis.call('SET', meta, '1', 'KEEPTTL')
    end
    if redis.call('ZSCORE', feed, member) then took = took + 1 end
  elseif redis.call('EXISTS', KEYS[i + 2]) == 1 then
    redis.call('ZADD', KEYS[i + 3], score, member)
    redis.call('PEXPIRE', KEYS[i + 3], ARGV[5])
  end
end
return took
"""

# KEYS: feed, meta, building. ARGV: the cursor's score ('' for the first page), limit, ttl s,
# grace s, build s. Not built: nil (and, for a first page, the feed is marked as being built).
# Built: the marker, the entries sharing the cursor's score, then up to limit + 1 older ones,
# both as member, score, member, score...; both expiries refreshed.
READ = """
local meta = redis.call('GET', KEYS[2])
if not meta then
  if ARGV[1] == '' then redis.call('SET', KEYS[3], '1', 'EX', ARGV[5]) end
  return false
end
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
local limit = tonumber(ARGV[2]) + 1
if ARGV[1] == '' then
  return {meta, {}, redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '-inf', 'WITHSCORES',
    'LIMIT', 0, limit)}
end
return {meta, redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'WITHSCORES'),
  redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0, limit)}
"""

# KEYS: feed, meta, building, pending. ARGV: max_length, trimmed ('0'/'1'), ttl s, grace s,
# then score, member pairs. The feed becomes these entries and the pushes kept aside.
REPLACE = """
local feed, meta, building, pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local max_length, trimmed = tonumber(ARGV[1]), ARGV[2]
redis.call('DEL', feed)
for i = 5, #ARGV, 2000 do
  redis.call('ZADD', feed, unpack(ARGV, i, math.min(i + 1999, #ARGV)))
end
if redis.call('EXISTS', pending) == 1 then
  redis.call('ZUNIONSTORE', feed, 2, feed, pending, 'AGGREGATE', 'MAX')
end
local excess = redis.call('ZCARD', feed) - max_length
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', feed, 0, excess - 1)
  trimmed = '1'
end
redis.call('SET', meta, trimmed, 'EX', ARGV[3])
redis.call('EXPIRE', feed, tonumber(ARGV[3]) + tonumber(ARGV[4]))
redis.call('DEL', building, pending)
return 0
"""

# KEYS: feeds. ARGV: a MATCH pattern on the id prefix. ZSCAN filters in C, not in Lua.
RETRACT = """
for i = 1, #KEYS do
  local found, cursor = {}, '0'
  repeat
    local reply = redis.call('ZSCAN', KEYS[i], cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
    cursor = reply[1]
    for j = 1, #reply[2], 2 do found[#found + 1] = reply[2][j] end
  until cursor == '0'
  for _, member in ipairs(found) do redis.call('ZREM', KEYS[i], member) end
end
return 0
"""

# KEYS: feed. ARGV: '|{actor}|'. The actor is the 4th field, followed by a 32-digit one.
DROP_ACTOR = """
local removed = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, -66, -33) == ARGV[1] then
    removed = removed + redis.call('ZREM', KEYS[1], member)
  end
end
return removed
"""
