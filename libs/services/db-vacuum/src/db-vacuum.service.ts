// db-vacuum: deletes expired events (PREFECT_SERVER_EVENTS_RETENTION_PERIOD and per-event overrides)
// and the actions' idempotency ledger rows as old as them
// and, when "flow_runs" is in PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED, old flow runs and the logs,
// artifacts and collections they leave behind. A periodic finder fans the work out as per-item jobs
// with fixed keys, so an overlapping cycle never piles up a second copy of a running cleanup.
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings, vacuumTargetEnabled } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { DbVacuumRepository } from '@orrery/persistence';

export type VacuumTask =
  | 'orphaned-logs'
  | 'orphaned-artifacts'
  | 'stale-collections'
  | 'old-flow-runs'
  | 'retention-overrides'
  | 'old-events'
  | 'old-automation-actions';

const FLOW_RUN_TASKS: readonly VacuumTask[] = [
  'orphaned-logs',
  'orphaned-artifacts',
  'stale-collections',
  'old-flow-runs',
];
const EVENT_TASKS: readonly VacuumTask[] = ['retention-overrides', 'old-events', 'old-automation-actions'];

export const VACUUM_JOB = 'db-vacuum-task';

/** Index entries of log/artifact.flow_run_id read per orphan-check statement (milliseconds each). */
export const ORPHAN_SCAN_WINDOW = 5000;

@Injectable()
export class DbVacuumService {
  private readonly logger = new Logger('db-vacuum');
  /** Index entries per orphan-check window; tests shrink it to cross window boundaries. */
  orphanScanWindow = ORPHAN_SCAN_WINDOW;

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly repository: DbVacuumRepository,
    private readonly jobs: JobQueue,
  ) {}

  /** Which cleanups this environment asks for. */
  tasks(): VacuumTask[] {
    return [
      ...(vacuumTargetEnabled(this.settings, 'flow_runs') ? FLOW_RUN_TASKS : []),
      ...(vacuumTargetEnabled(this.settings, 'events') ? EVENT_TASKS : []),
    ];
  }

  @PeriodicJob('db-vacuum', {
    everySeconds: (self: DbVacuumService) => self.settings.server.services.dbVacuum.loopSeconds,
    runOnStart: true,
  })
  async findWork(): Promise<void> {
    for (const task of this.tasks()) {
      await this.jobs.enqueue(VACUUM_JOB, { task }, { key: `db-vacuum:${task}` });
    }
  }

  @JobHandler(VACUUM_JOB)
  async run({ task }: { task: VacuumTask }): Promise<void> {
    const { batchSize, retentionPeriod, eventRetentionOverrides } = this.settings.server.services.dbVacuum;
    const eventRetention = this.settings.server.events.retentionPeriod;
    const now = Instant.now();
    switch (task) {
      case 'orphaned-logs':
        return this.report(task, 'orphaned logs', await this.deleteOrphans('log', batchSize));
      case 'orphaned-artifacts':
        return this.report(task, 'orphaned artifacts', await this.deleteOrphans('artifact', batchSize));
      case 'old-flow-runs': {
        const before = now.minusSeconds(retentionPeriod);
        return this.report(
          task,
          'old flow runs',
          await drain(() => this.repository.deleteOldFlowRuns(before, batchSize)),
        );
      }
      case 'stale-collections': {
        let repointed = 0;
        let deleted = 0;
        for (;;) {
          const batch = await this.repository.reconcileStaleCollections(batchSize);
          repointed += batch.repointed;
          deleted += batch.deleted;
          if (batch.repointed + batch.deleted === 0) break;
        }
        if (repointed + deleted > 0) {
          this.logger.log(`stale artifact collections: ${repointed} re-pointed, ${deleted} removed`);
        }
        return;
      }
      case 'old-events': {
        const before = now.minusSeconds(eventRetention);
        return this.report(
          task,
          'old events and resources',
          await drain(async () => sum(await this.repository.deleteOldEvents(before, batchSize))),
        );
      }
      case 'old-automation-actions': {
        // The ledger only has to outlive a redelivery (minutes); it is kept as long as the
        // `prefect.automation.action.*` events that describe the same actions.
        const before = now.minusSeconds(eventRetention);
        return this.report(
          task,
          'automation action ledger rows',
          await drain(() => this.repository.deleteOldAutomationActions(before, batchSize)),
        );
      }
      case 'retention-overrides': {
        for (const [event, seconds] of Object.entries(eventRetentionOverrides)) {
          // An override can only shorten retention, never outlive the global event retention.
          const before = now.minusSeconds(Math.min(seconds, eventRetention));
          this.report(
            task,
            `${event} events and resources`,
            await drain(async () => sum(await this.repository.deleteEventsOfType(event, before, batchSize))),
          );
        }
        return;
      }
    }
  }

  /**
   * Walks the flow_run_id index of `table` in windows of orphanScanWindow entries (keyset, each
   * window its own short statement) and deletes the rows of every flow run that no longer exists,
   * `batchSize` rows per transaction. No statement reads more than one window, so a tick over
   * millions of logs never holds the API's I/O for seconds.
   */
  private async deleteOrphans(table: 'log' | 'artifact', batchSize: number): Promise<number> {
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const window = await this.repository.findOrphanedRuns(table, after, this.orphanScanWindow);
      if (window.orphanedRunIds.length > 0) {
        const ids = window.orphanedRunIds;
        total += await drain(() =>
          table === 'log'
            ? this.repository.deleteLogsOfRuns(ids, batchSize)
            : this.repository.deleteArtifactsOfRuns(ids, batchSize),
        );
      }
      if (window.next === null) return total;
      after = window.next;
    }
  }

  private report(task: VacuumTask, what: string, deleted: number): void {
    if (deleted > 0) this.logger.log(`${task}: deleted ${deleted} ${what}`);
  }
}

/** Repeats one batch until a batch deletes nothing; each batch is its own transaction. */
async function drain(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await batch();
    if (deleted === 0) return total;
    total += deleted;
  }
}

function sum({ resources, events }: { resources: number; events: number }): number {
  return resources + events;
}
