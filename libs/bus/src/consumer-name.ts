import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `{group}-{hostname}-{pid}-{8 hex}` (spec §2.1): unique per replica, readable in XINFO CONSUMERS. */
export function makeConsumerName(group: string): string {
  return `${group}-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
