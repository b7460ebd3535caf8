import { type OutgoingMessage, type PublishOptions } from './bus-message';
import { type BusContextPropagator } from './bus-options';
import { type DedupeCache } from './dedupe.cache';
import { encodeAttributes } from './message-codec';

export interface EncodedMessage {
  /** Position in the caller's array, so results line up with what was passed. */
  readonly index: number;
  readonly data: string;
  readonly attributes: string;
}

export interface PreparedPublish {
  readonly send: EncodedMessage[];
  /** De-dup values claimed for this publish: forget them if the publish fails. */
  readonly claimed: string[];
}

/** Shared by both drivers: trace-context injection, JSON encoding and de-dup filtering. */
export async function preparePublish(
  messages: readonly OutgoingMessage[],
  options: PublishOptions | undefined,
  cache: DedupeCache,
  propagator: BusContextPropagator | undefined,
): Promise<PreparedPublish> {
  const injected = propagator?.inject() ?? {};
  const encoded = messages.map((message, index) => {
    // The caller's own attributes win over injected context (an explicit traceparent is kept).
    const attributes = { ...injected, ...(message.attributes ?? {}) };
    return { index, attributes, data: JSON.stringify(message.data ?? null) };
  });
  const dedupeBy = options?.dedupeBy;
  if (dedupeBy === undefined) {
    return { send: encoded.map((m) => ({ ...m, attributes: encodeAttributes(m.attributes) })), claimed: [] };
  }
  const keyed = encoded.filter((m) => m.attributes[dedupeBy] !== undefined);
  const verdicts = await cache.claim(keyed.map((m) => m.attributes[dedupeBy]!));
  const dropped = new Set<number>();
  const claimed: string[] = [];
  keyed.forEach((m, i) => {
    if (verdicts[i]) {
      claimed.push(m.attributes[dedupeBy]!);
    } else {
      dropped.add(m.index);
    }
  });
  return {
    send: encoded
      .filter((m) => !dropped.has(m.index))
      .map((m) => ({ ...m, attributes: encodeAttributes(m.attributes) })),
    claimed,
  };
}
