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

/** An encoded message with the value it is de-duplicated by (undefined: not de-duplicated). */
export interface KeyedMessage extends EncodedMessage {
  readonly dedupeValue: string | undefined;
}

/** Shared by both drivers: trace-context injection, JSON encoding, and each message's de-dup value. */
export function encodeForPublish(
  messages: readonly OutgoingMessage[],
  options: PublishOptions | undefined,
  propagator: BusContextPropagator | undefined,
  topic = '',
): KeyedMessage[] {
  const injected = messages.length === 0 ? {} : (propagator?.inject(topic, messages.length) ?? {});
  const dedupeBy = options?.dedupeBy;
  return messages.map((message, index) => {
    // The caller's own attributes win over injected context (an explicit traceparent is kept).
    const attributes = { ...injected, ...(message.attributes ?? {}) };
    return {
      index,
      data: JSON.stringify(message.data ?? null),
      attributes: encodeAttributes(attributes),
      dedupeValue: dedupeBy === undefined ? undefined : attributes[dedupeBy],
    };
  });
}

/** Encodes, then drops what `cache` has seen (claiming the rest): the driver sends `send`. */
export async function preparePublish(
  messages: readonly OutgoingMessage[],
  options: PublishOptions | undefined,
  cache: DedupeCache,
  propagator: BusContextPropagator | undefined,
  topic = '',
): Promise<PreparedPublish> {
  const encoded = encodeForPublish(messages, options, propagator, topic);
  const keyed = encoded.filter((m) => m.dedupeValue !== undefined);
  if (keyed.length === 0) return { send: encoded, claimed: [] };
  const verdicts = await cache.claim(keyed.map((m) => m.dedupeValue!));
  const dropped = new Set<number>();
  const claimed: string[] = [];
  keyed.forEach((m, i) => {
    if (verdicts[i]) claimed.push(m.dedupeValue!);
    else dropped.add(m.index);
  });
  return { send: encoded.filter((m) => !dropped.has(m.index)), claimed };
}
