import type Redis from 'ioredis';
import { type GroupDescription, type MaintenanceResult, type TopicDescription } from '../consumer-spec';
import { minStreamId } from '../stream-id';
import { deadLetterCountsKey, deadLetterStreamKey } from './redis-keys';
import { asArray, asNumber, asString, isRedisError, pairsToRecord } from './redis-reply';

interface RawGroup {
  name: string;
  pending: number;
  lastDeliveredId: string;
  lag: number | null;
}

interface RawConsumer {
  name: string;
  pending: number;
  idleMs: number;
}

async function readGroups(redis: Redis, topic: string): Promise<RawGroup[]> {
  const reply = await redis.call('XINFO', 'GROUPS', topic);
  return asArray(reply).map((item) => {
    const record = pairsToRecord(item);
    return {
      name: asString(record['name']),
      pending: asNumber(record['pending']),
      lastDeliveredId: asString(record['last-delivered-id'], '0-0'),
      // Redis ≥ 7 reports lag; nil when it cannot be computed (e.g. after trimming or deletions).
      lag: record['lag'] === null || record['lag'] === undefined ? null : asNumber(record['lag']),
    };
  });
}

async function readConsumers(redis: Redis, topic: string, group: string): Promise<RawConsumer[]> {
  const reply = await redis.call('XINFO', 'CONSUMERS', topic, group);
  return asArray(reply).map((item) => {
    const record = pairsToRecord(item);
    return {
      name: asString(record['name']),
      pending: asNumber(record['pending']),
      idleMs: asNumber(record['idle']),
    };
  });
}

async function streamInfo(
  redis: Redis,
  topic: string,
): Promise<{ length: number; lastGeneratedId: string } | null> {
  try {
    const record = pairsToRecord(await redis.call('XINFO', 'STREAM', topic));
    return {
      length: asNumber(record['length']),
      lastGeneratedId: asString(record['last-generated-id'], '0-0'),
    };
  } catch (error) {
    if (isRedisError(error, 'ERR no such key')) {
      return null;
    }
    throw error;
  }
}

/** Redis reports lag as nil when it cannot tell (e.g. after deletions): count, capped, instead. */
const LAG_COUNT_CAP = 10_000;

async function countAfter(redis: Redis, topic: string, afterId: string): Promise<number> {
  const entries = asArray(await redis.call('XRANGE', topic, `(${afterId}`, '+', 'COUNT', LAG_COUNT_CAP));
  return entries.length;
}

/** The id a tail should read after to see only messages published from now on. */
export async function lastGeneratedId(redis: Redis, topic: string): Promise<string> {
  return (await streamInfo(redis, topic))?.lastGeneratedId ?? '0-0';
}

/**
 * Groups with their consumers (idle ms, pending), lag and dead-letter counts: what
 * `orrery server services ls` shows for a stream consumer service.
 */
export async function inspectRedisTopic(redis: Redis, topic: string): Promise<TopicDescription> {
  const [info, deadLetters, counts] = await Promise.all([
    streamInfo(redis, topic),
    redis.xlen(deadLetterStreamKey(topic)),
    redis.hgetall(deadLetterCountsKey(topic)),
  ]);
  if (info === null) {
    return { topic, exists: false, length: 0, lastGeneratedId: '0-0', groups: [], deadLetters };
  }
  const groups: GroupDescription[] = [];
  for (const group of await readGroups(redis, topic)) {
    const consumers = await readConsumers(redis, topic, group.name);
    groups.push({
      name: group.name,
      consumers: consumers.map((c) => ({ name: c.name, idleMs: c.idleMs, pending: c.pending })),
      pending: group.pending,
      lastDeliveredId: group.lastDeliveredId,
      lag: group.lag ?? (await countAfter(redis, topic, group.lastDeliveredId)),
      deadLetters: Number(counts[group.name] ?? 0),
    });
  }
  return {
    topic,
    exists: true,
    length: info.length,
    lastGeneratedId: info.lastGeneratedId,
    groups,
    deadLetters,
  };
}

export interface RedisMaintenanceSettings {
  readonly idleConsumerThresholdMs: number;
  readonly trimRetainMs: number;
  readonly keepConsumers?: readonly string[];
}

/**
 * Removes idle consumers (idle > threshold, nothing pending) and trims the stream with an exact
 * `XTRIM MINID`. The floor is the lowest of every live group's last-delivered id and oldest pending
 * id, so a pending entry is never trimmed (upstream trims by delivered id only, spec §6.5 item 6).
 * A group is ignored only when all its consumers are idle past the threshold and nothing is pending,
 * so a leaked group cannot pin the stream forever (§6.5 item 2).
 */
export async function maintainRedisStream(
  redis: Redis,
  topic: string,
  settings: RedisMaintenanceSettings,
): Promise<MaintenanceResult> {
  const info = await streamInfo(redis, topic);
  if (info === null) {
    return { trimmed: 0, removedConsumers: [], minId: null };
  }
  const keep = new Set(settings.keepConsumers ?? []);
  const removedConsumers: string[] = [];
  let floor: string | null = null;
  for (const group of await readGroups(redis, topic)) {
    let active = 0;
    for (const consumer of await readConsumers(redis, topic, group.name)) {
      if (keep.has(consumer.name) || consumer.idleMs <= settings.idleConsumerThresholdMs) {
        active += 1;
      } else if (consumer.pending === 0) {
        await redis.call('XGROUP', 'DELCONSUMER', topic, group.name, consumer.name);
        removedConsumers.push(consumer.name);
      }
    }
    if (active === 0 && group.pending === 0) {
      continue;
    }
    let groupFloor = group.lastDeliveredId;
    if (group.pending > 0) {
      const summary = asArray(await redis.call('XPENDING', topic, group.name));
      const oldestPending = asString(summary[1], '');
      if (oldestPending !== '') {
        groupFloor = minStreamId(groupFloor, oldestPending);
      }
    }
    floor = floor === null ? groupFloor : minStreamId(floor, groupFloor);
  }
  if (settings.trimRetainMs > 0) {
    const retainFloor = `${Math.max(0, Date.now() - settings.trimRetainMs)}-0`;
    floor = floor === null ? retainFloor : minStreamId(floor, retainFloor);
  }
  floor ??= info.lastGeneratedId;
  if (floor === '0-0') {
    return { trimmed: 0, removedConsumers, minId: null };
  }
  const trimmed = asNumber(await redis.call('XTRIM', topic, 'MINID', floor));
  return { trimmed, removedConsumers, minId: floor };
}
