import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SETTINGS, type Settings } from '@orrery/config';
import { type ConcurrencyLeaseStorage, LEASE_STORAGE, MemoryLeaseStorage } from '@orrery/lease-storage';
import type { OrchestrationSettings } from '@orrery/orchestration';
import { OutboxPublisher } from '@orrery/outbox';
import { OrchestrationUnit, RelatedObjectsCache } from '@orrery/persistence';
import { TransactionLeases } from './transaction-leases';

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
 * does); without it (in-process test apps) the engine uses Prefect's defaults. Leases go to the
 * process's LEASE_STORAGE, or the in-process store when the process has no LeaseStorageModule;
 * they follow the transaction's outcome (TransactionLeases).
 */
@Injectable()
export class OrchestrationTransactions {
  private readonly settings: OrchestrationSettings | undefined;
  /** Per process, shared by every transaction (PREFECT_SERVER_EVENTS_RELATED_RESOURCE_CACHE_TTL). */
  private readonly relatedObjects: RelatedObjectsCache;
  private readonly leases: ConcurrencyLeaseStorage;
  private readonly logger = new Logger('orchestration');

  constructor(
    private readonly outbox: OutboxPublisher,
    @Optional() @Inject(SETTINGS) settings?: Settings,
    @Optional() @Inject(LEASE_STORAGE) leases?: ConcurrencyLeaseStorage,
  ) {
    this.settings = settings === undefined ? undefined : orchestrationSettingsFrom(settings);
    this.leases = leases ?? MemoryLeaseStorage.processDefault();
    this.relatedObjects = new RelatedObjectsCache(settings?.server.events.relatedResourceCacheTtl ?? 300);
  }

  async run<T>(work: (unit: OrchestrationUnit) => Promise<T>): Promise<T> {
    const leases = new TransactionLeases(this.leases, this.logger);
    let result: T;
    try {
      result = await this.outbox.transaction((_manager, emit, tx) =>
        work(new OrchestrationUnit(tx, emit, this.settings, this.relatedObjects, leases)),
      );
    } catch (error) {
      await leases.rolledBack();
      throw error;
    }
    await leases.committed();
    return result;
  }
}
