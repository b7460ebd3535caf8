import { randomBytes, randomUUID } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for any RFC 4122/9562 textual UUID, any version (clients may send any). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** A random (version 4) UUID. */
export function uuid4(): string {
  return randomUUID();
}

let lastMillis = -1;
let sequence = 0;

/**
 * A time-ordered (version 7) UUID, as Prefect mints for runs, states, logs and events. Within one
 * millisecond the 12-bit `rand_a` field is used as a counter (RFC 9562 §6.2 method 1), so ids made
 * by one process sort in creation order. An explicit time skips that ordering.
 */
export function uuid7(atMillis?: number): string {
  if (atMillis !== undefined) {
    return format(atMillis, randomBytes(2).readUInt16BE(0) & 0xfff);
  }
  let millis = Date.now();
  if (millis <= lastMillis) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
    millis = lastMillis;
  } else {
    lastMillis = millis;
    sequence = randomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  return format(millis, sequence);
}

// Random bytes are drawn from the CSPRNG in blocks (one call per 256 ids instead of one per id).
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

function format(millis: number, sequence: number): string {
  const bytes = random16();
  bytes.writeUIntBE(millis, 0, 6);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
