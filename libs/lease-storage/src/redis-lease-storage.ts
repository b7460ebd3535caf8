import { randomUUID } from 'node:crypto';
import { Instant } from '@orrery/domain';
import type { LeaseHolder } from '@orrery/orchestration';
import type Redis from 'ioredis';
import type { ConcurrencyLeaseStorage, CreateLeaseInput, StoredLease } from './lease-storage';

/** Upstream's key namespace (`prefect:concurrency:`), so operators find the same keys. */
export const DEFAULT_LEASE_KEY_PREFIX = 'prefect:concurrency:';

// KEYS: lease, expirations, holders of each resource (only when there is a holder entry).
// ARGV: lease JSON, expiry score, lease id, holder entry JSON or ''.
const CREATE = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then
  for i = 3, #KEYS do redis.call('HSET', KEYS[i], ARGV[3], ARGV[4]) end
end
return 1`;

// KEYS: lease, expirations. ARGV: lease id, expiry score, expiry ISO text.
// A missing lease also loses its (orphaned) index entry.
const RENEW = `
local json = redis.call('GET', KEYS[1])
if not json then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
local lease = cjson.decode(json)
lease['expiration'] = ARGV[3]
redis.call('SET', KEYS[1], cjson.encode(lease))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`;

// KEYS: lease, expirations. ARGV: lease id, key prefix. Reads the lease inside the script so the
// holder entries it removes are exactly the lease's; idempotent.
const REVOKE = `
local json = redis.call('GET', KEYS[1])
if json then
  local ok, lease = pcall(cjson.decode, json)
  if ok and type(lease) == 'table' and type(lease['resource_ids']) == 'table' then
    for _, rid in ipairs(lease['resource_ids']) do
      redis.call('HDEL', ARGV[2] .. 'limit:' .. tostring(rid) .. ':holders', ARGV[1])
    end
  end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

interface LeaseJson {
  id: string;
  resource_ids: string[] | Record<string, never>;
  expiration: string;
  created_at: string;
  metadata: { slots: number; holder?: LeaseHolder | null } | null;
}

/**
 * Leases in Redis, shared by every API and services replica (HA; upstream
 * `prefect_redis.lease_storage`): a JSON string per lease at `<prefix>lease:<id>`, a sorted set
 * `<prefix>expirations` of lease ids by expiry (epoch seconds), and per limit a hash
 * `<prefix>limit:<limit id>:holders` from lease id to `{holder, slots, lease_id}`. Create, renew and
 * revoke are Lua scripts, so a lease and its index entries always change together.
 */
export class RedisLeaseStorage implements ConcurrencyLeaseStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_LEASE_KEY_PREFIX,
    private readonly clock: () => Instant = () => Instant.now(),
  ) {}

  private leaseKey(id: string): string {
    return `${this.prefix}lease:${id}`;
  }

  private get expirationsKey(): string {
    return `${this.prefix}expirations`;
  }

  private holdersKey(limitId: string): string {
    return `${this.prefix}limit:${limitId}:holders`;
  }

  async createLease(input: CreateLeaseInput): Promise<StoredLease> {
    const now = this.clock();
    const lease: StoredLease = {
      id: randomUUID(),
      resourceIds: [...input.resourceIds],
      expiration: now.plusSeconds(input.ttlSeconds),
      createdAt: now,
      slots: input.slots,
      holder: input.holder === null ? null : { type: input.holder.type, id: input.holder.id },
    };
    const json: LeaseJson = {
      id: lease.id,
      resource_ids: lease.resourceIds,
      expiration: lease.expiration.toISOString(),
      created_at: lease.createdAt.toISOString(),
      metadata: { slots: lease.slots, holder: lease.holder },
    };
    const holderEntry =
      lease.holder === null
        ? ''
        : JSON.stringify({ holder: lease.holder, slots: lease.slots, lease_id: lease.id });
    const keys = [
      this.leaseKey(lease.id),
      this.expirationsKey,
      ...(holderEntry === '' ? [] : lease.resourceIds.map((r) => this.holdersKey(r))),
    ];
    await this.redis.eval(
      CREATE,
      keys.length,
      ...keys,
      JSON.stringify(json),
      String(lease.expiration.epochSeconds),
      lease.id,
      holderEntry,
    );
    return lease;
  }

  async readLease(leaseId: string): Promise<StoredLease | null> {
    const text = await this.redis.get(this.leaseKey(leaseId));
    return text === null ? null : parseLease(text);
  }

  async renewLease(leaseId: string, ttlSeconds: number): Promise<boolean> {
    const expiration = this.clock().plusSeconds(ttlSeconds);
    const renewed = await this.redis.eval(
      RENEW,
      2,
      this.leaseKey(leaseId),
      this.expirationsKey,
      leaseId,
      String(expiration.epochSeconds),
      expiration.toISOString(),
    );
    return Number(renewed) === 1;
  }

  async revokeLease(leaseId: string): Promise<void> {
    await this.redis.eval(REVOKE, 2, this.leaseKey(leaseId), this.expirationsKey, leaseId, this.prefix);
  }

  readActiveLeaseIds(limit: number, offset: number): Promise<string[]> {
    const now = String(this.clock().epochSeconds);
    return this.redis.zrangebyscore(this.expirationsKey, `(${now}`, '+inf', 'LIMIT', offset, limit);
  }

  readExpiredLeaseIds(limit: number): Promise<string[]> {
    const now = String(this.clock().epochSeconds);
    return this.redis.zrangebyscore(this.expirationsKey, '-inf', now, 'LIMIT', 0, limit);
  }

  async listHoldersForLimit(limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]> {
    const entries = await this.redis.hvals(this.holdersKey(limitId));
    const parsed: { leaseId: string; holder: LeaseHolder }[] = [];
    for (const entry of entries) {
      try {
        const data = JSON.parse(entry) as { holder?: LeaseHolder; lease_id?: string };
        if (data.holder && typeof data.lease_id === 'string') {
          parsed.push({ leaseId: data.lease_id, holder: { type: data.holder.type, id: data.holder.id } });
        }
      } catch {
        // a malformed entry is skipped, as upstream does
      }
    }
    if (parsed.length === 0) return [];
    // Only unexpired leases hold a slot (an expired one waits for the repossessor).
    const scores = await this.redis.zmscore(this.expirationsKey, ...parsed.map((p) => p.leaseId));
    const now = this.clock().epochSeconds;
    return parsed.filter((_, i) => scores[i] != null && Number(scores[i]) > now);
  }
}

function parseLease(text: string): StoredLease {
  const json = JSON.parse(text) as LeaseJson;
  const holder = json.metadata?.holder ?? null;
  return {
    id: json.id,
    // cjson re-encodes an empty array as {} after a renewal.
    resourceIds: Array.isArray(json.resource_ids) ? json.resource_ids.map(String) : [],
    expiration: Instant.parse(json.expiration),
    createdAt: Instant.parse(json.created_at),
    slots: json.metadata?.slots ?? 0,
    holder: holder === null ? null : { type: holder.type, id: holder.id },
  };
}
