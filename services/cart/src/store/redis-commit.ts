// One Lua script applies every write of the Redis store: it checks the versions (and absences) the
// caller read, and only if they still hold does it apply all the writes, so each change to the
// cart, its owner index, the product sets and the idle index is one atomic step
// (compare-and-set; the caller re-reads and retries on a conflict).
//
// The plan names its keys itself, so this needs one Redis (or a primary with replicas/Sentinel),
// not Redis Cluster, where a cart's keys would sit in different slots.
import type { Redis } from 'ioredis';

export interface CommitPlan {
  /** Cart hashes that must still be at `version` (field `v`). */
  checks: Array<{ key: string; version: number }>;
  /** Keys that must not exist (a new owner index). */
  absent: string[];
  /** Cart hashes to write: version and JSON. */
  writes: Array<{ key: string; version: string; json: string }>;
  dels: string[];
  sets: Array<{ key: string; value: string }>;
  zadds: Array<{ key: string; score: string; member: string }>;
  zrems: Array<{ key: string; member: string }>;
  sadds: Array<{ key: string; member: string }>;
  srems: Array<{ key: string; member: string }>;
}

export function emptyPlan(): CommitPlan {
  return {
    checks: [],
    absent: [],
    writes: [],
    dels: [],
    sets: [],
    zadds: [],
    zrems: [],
    sadds: [],
    srems: [],
  };
}

const COMMIT_LUA = `
local plan = cjson.decode(ARGV[1])
for _, c in ipairs(plan.checks) do
  local v = redis.call('HGET', c.key, 'v')
  if v == false or tonumber(v) ~= c.version then return 0 end
end
for _, k in ipairs(plan.absent) do
  if redis.call('EXISTS', k) == 1 then return 0 end
end
for _, w in ipairs(plan.writes) do redis.call('HSET', w.key, 'v', w.version, 'cart', w.json) end
for _, k in ipairs(plan.dels) do redis.call('DEL', k) end
for _, s in ipairs(plan.sets) do redis.call('SET', s.key, s.value) end
for _, z in ipairs(plan.zadds) do redis.call('ZADD', z.key, z.score, z.member) end
for _, z in ipairs(plan.zrems) do redis.call('ZREM', z.key, z.member) end
for _, s in ipairs(plan.sadds) do redis.call('SADD', s.key, s.member) end
for _, s in ipairs(plan.srems) do redis.call('SREM', s.key, s.member) end
return 1
`;

type WithCommit = Redis & { cartCommit(plan: string): Promise<number> };

/** Registers the script (EVALSHA, ioredis falls back to EVAL when the server lacks it). */
export function defineCommit(client: Redis): (plan: CommitPlan) => Promise<boolean> {
  client.defineCommand('cartCommit', { numberOfKeys: 0, lua: COMMIT_LUA });
  return async (plan) => (await (client as WithCommit).cartCommit(JSON.stringify(plan))) === 1;
}
