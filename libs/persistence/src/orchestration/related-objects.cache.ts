import type { FlowRunRelatedObjects } from '@orrery/orchestration';

/**
 * The related objects of flow runs' state events, kept per process for
 * PREFECT_SERVER_EVENTS_RELATED_RESOURCE_CACHE_TTL seconds (spec-services §3.2, 300 by default) so
 * a run's successive transitions do not re-read its flow, deployment, queue, pool and parent task
 * run. Bounded: the oldest entries go first. A TTL of 0 disables it.
 */
export class RelatedObjectsCache {
  private readonly entries = new Map<string, { value: FlowRunRelatedObjects; expiresAtMs: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(flowRunId: string, nowMs: number = Date.now()): FlowRunRelatedObjects | undefined {
    const entry = this.entries.get(flowRunId);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(flowRunId);
      return undefined;
    }
    return entry.value;
  }

  set(flowRunId: string, value: FlowRunRelatedObjects, nowMs: number = Date.now()): void {
    if (this.ttlSeconds <= 0) return;
    this.entries.delete(flowRunId);
    this.entries.set(flowRunId, { value, expiresAtMs: nowMs + this.ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}
