import { Instant } from '@orrery/domain';
import { type BusMessage } from './bus-message';
import { type MessageValidator } from './consumer-spec';
import { type RawDelivery } from './stream-transport';
import { streamIdMillis } from './stream-id';

/** A message that cannot become a valid BusMessage: it goes to dead letters and is never retried. */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

export function encodeAttributes(attributes: Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(attributes ?? {});
}

export function decodeAttributes(text: string | null): Record<string, string> {
  if (text === null || text === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidMessageError('attributes are not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidMessageError('attributes are not a JSON object');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new InvalidMessageError(`attribute ${key} is not a string`);
    }
    out[key] = value;
  }
  return out;
}

/** Parses and validates a raw entry; throws InvalidMessageError for poison. */
export async function decodeDelivery<T>(
  topic: string,
  raw: RawDelivery,
  validate: MessageValidator<T> | undefined,
): Promise<BusMessage<T>> {
  if (raw.data === null) {
    throw new InvalidMessageError('entry has no data field');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.data);
  } catch {
    throw new InvalidMessageError('data is not JSON');
  }
  const attributes = decodeAttributes(raw.attributes);
  let data: T;
  if (validate === undefined) {
    data = parsed as T;
  } else {
    try {
      data = await validate(parsed);
    } catch (error) {
      throw new InvalidMessageError(`validation failed: ${errorText(error)}`);
    }
  }
  return {
    id: raw.id,
    topic,
    data,
    attributes,
    deliveryCount: raw.deliveryCount,
    publishedAt: Instant.fromEpochMillis(streamIdMillis(raw.id)),
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
