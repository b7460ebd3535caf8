import { Inject, Injectable, Optional } from '@nestjs/common';
import { SETTINGS, type Settings } from '@orrery/config';
import type { OrchestrationSettings } from '@orrery/orchestration';
import { OutboxPublisher } from '@orrery/outbox';
import { OrchestrationUnit, RelatedObjectsCache } from '@orrery/persistence';

/** The server settings the rules read (spec-api §8.5), from the process's settings tree. */
export function orchestrationSettingsFrom(settings: Settings): OrchestrationSettings {
  return {
    tagConcurrencySlotWaitSeconds: settings.server.tasks.tagConcurrencySlotWaitSeconds,
    maxCacheKeyLength: settings.server.tasks.maxCacheKeyLength,
    deploymentConcurrencySlotWaitSeconds: settings.server.deployments.concurrencySlotWaitSeconds,
    initialDeploymentLeaseDurationSeconds: settings.server.concurrency.initialDeploymentLeaseDuration,
    maximumConcurrencySlotWaitSeconds: settings.server.concurrency.maximumConcurrencySlotWaitSeconds,
  };
}

/**
 * Opens the orchestrating transaction every run-state change runs in: the run rows it locks, the
 * state rows it writes and the events it emits (outbox) commit together or not at all. The rules'
 * settings come from the global SettingsModule when the process has one (every `orrery` process
 * does); without it (in-process test apps) the engine uses Prefect's defaults.
 */
@Injectable()
export class OrchestrationTransactions {
  private readonly settings: OrchestrationSettings | undefined;
  /** Per process, shared by every transaction (PREFECT_SERVER_EVENTS_RELATED_RESOURCE_CACHE_TTL). */
  private readonly relatedObjects: RelatedObjectsCache;

  constructor(
    private readonly outbox: OutboxPublisher,
    @Optional() @Inject(SETTINGS) settings?: Settings,
  ) {
    this.settings = settings === undefined ? undefined : orchestrationSettingsFrom(settings);
    this.relatedObjects = new RelatedObjectsCache(settings?.server.events.relatedResourceCacheTtl ?? 300);
  }

  run<T>(work: (unit: OrchestrationUnit) => Promise<T>): Promise<T> {
    return this.outbox.transaction((_manager, emit, tx) =>
      work(new OrchestrationUnit(tx, emit, this.settings, this.relatedObjects)),
    );
  }
}
