import { Instant } from '@orrery/domain';
import type { EventCriteria } from '@orrery/persistence';
import { EventFilterParser } from './event-filter.parser';

/** What a `/events/filter/next` page token carries (upstream's `{filter, count, page_size, offset}`). */
export interface EventPageToken {
  readonly criteria: EventCriteria;
  readonly wire: Record<string, unknown>;
  readonly count: number;
  readonly pageSize: number;
  readonly offset: number;
}

/** The token of the page after `offset`, or null when this page was the last. */
export function nextPageToken(
  wire: Record<string, unknown>,
  count: number,
  pageSize: number,
  offset: number,
): string | null {
  if (offset + pageSize >= count || pageSize <= 0) return null;
  const token = { filter: wire, count, page_size: pageSize, offset: offset + pageSize };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * Decodes a token; null for anything that is not one of ours (the API answers 403, as upstream).
 * The filter inside is validated again, so a forged token can only ask what a request body could.
 */
export function readPageToken(text: string): EventPageToken | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof decoded !== 'object' || decoded === null) return null;
  const { filter, count, page_size: pageSize, offset } = decoded as Record<string, unknown>;
  if (!isCount(count) || !isCount(pageSize) || !isCount(offset) || pageSize > 50 || pageSize === 0)
    return null;
  const parser = new EventFilterParser(Instant.now());
  const parsed = parser.parse(filter, ['filter']);
  if (parsed === null) return null;
  return { criteria: parsed.criteria, wire: parsed.wire, count, pageSize, offset };
}
