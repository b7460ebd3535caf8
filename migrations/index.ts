import { type MigrationInterface } from 'typeorm';
import { CoreSchema1795300000000 } from './1795300000000-core-schema';
import { WorkPoolsAndDeployments1795300100000 } from './1795300100000-work-pools-and-deployments';
import { BlocksConcurrencyAndMisc1795300200000 } from './1795300200000-blocks-concurrency-and-misc';
import { EventsAndAutomations1795300300000 } from './1795300300000-events-and-automations';
import { TransactionalOutbox1795300400000 } from './1795300400000-transactional-outbox';
import { WorkerPollIndex1795300500000 } from './1795300500000-worker-poll-index';
import { ScaleReadIndexes1795300600000 } from './1795300600000-scale-read-indexes';
import { FlowNextRunIndex1795300700000 } from './1795300700000-flow-next-run-index';
import { ArtifactCreatedIndex1795300800000 } from './1795300800000-artifact-created-index';
import { AutomationActionLedger1795300900000 } from './1795300900000-automation-action-ledger';
import { EventCounts1795301200000 } from './1795301200000-event-counts';
import { AutomationEventEvaluated1795301300000 } from './1795301300000-automation-event-evaluated';
import { SubflowRunIndex1795301400000 } from './1795301400000-subflow-run-index';

export type MigrationClass = new () => MigrationInterface;

/**
 * Every migration, oldest first. Append only: never edit, reorder or remove an entry that has
 * shipped; add a new migration instead, and add its file stem to ./LEDGER in the same commit.
 */
export const MIGRATIONS: readonly MigrationClass[] = [
  CoreSchema1795300000000,
  WorkPoolsAndDeployments1795300100000,
  BlocksConcurrencyAndMisc1795300200000,
  EventsAndAutomations1795300300000,
  TransactionalOutbox1795300400000,
  WorkerPollIndex1795300500000,
  ScaleReadIndexes1795300600000,
  FlowNextRunIndex1795300700000,
  ArtifactCreatedIndex1795300800000,
  AutomationActionLedger1795300900000,
  EventCounts1795301200000,
  AutomationEventEvaluated1795301300000,
  SubflowRunIndex1795301400000,
];

/** The table in which applied migrations are recorded (TypeORM's format: id, timestamp, name). */
export const MIGRATIONS_TABLE_NAME = 'orrery_migrations';

/** `CoreSchema1795300000000` → `1795300000000-core-schema`: the file stem, as the ledger lists it. */
export function migrationFileStem(className: string): string {
  const match = /^([A-Za-z][A-Za-z0-9]*?)(\d{13})$/.exec(className);
  if (match === null) {
    throw new Error(`migration class name must end with a 13-digit timestamp: ${className}`);
  }
  const [, words, timestamp] = match;
  const kebab = words.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return `${timestamp}-${kebab}`;
}
