import { type MessageBus } from './message-bus';
import { compareStreamIds } from './stream-id';

export interface DrainOptions {
  /** Only these groups must be drained (default: every group of the topic). */
  readonly groups?: readonly string[];
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/**
 * Resolves once every (listed) group of the topic has been delivered everything published so far and
 * acknowledged it; rejects after the timeout. For tests and for graceful hand-overs, not for hot paths.
 */
export async function waitForTopicDrained(
  bus: MessageBus,
  topic: string,
  options: DrainOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const description = await bus.describe(topic);
    const groups = description.groups.filter(
      (g) => options.groups === undefined || options.groups.includes(g.name),
    );
    const missing = (options.groups ?? []).filter((name) => !groups.some((g) => g.name === name));
    const behind = groups.filter(
      (g) => g.pending > 0 || compareStreamIds(g.lastDeliveredId, description.lastGeneratedId) < 0,
    );
    if (missing.length === 0 && behind.length === 0) {
      return;
    }
    if (Date.now() > deadline) {
      const why = [
        ...missing.map((name) => `${name} (no such group)`),
        ...behind.map((g) => `${g.name} (pending ${g.pending}, at ${g.lastDeliveredId})`),
      ];
      throw new Error(
        `topic ${topic} not drained after ${options.timeoutMs ?? 10_000} ms: ${why.join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}
