import {
  copyFlowRunPolicy,
  copyTaskRunPolicy,
  type FlowRunPolicy,
  type Instant,
  type StateType,
  type TaskRunPolicy,
} from '@orrery/domain';

export type RunKind = 'flow' | 'task';

/**
 * The run-row fields orchestration reads and the transforms change (spec-api §4.4). The engine
 * works on a copy; the repository writes back `OrchestrationResult.runChanges`.
 */
export interface RunSnapshot {
  id: string;
  name: string;
  stateId: string | null;
  stateType: StateType | null;
  stateName: string | null;
  stateTimestamp: Instant | null;
  runCount: number;
  expectedStartTime: Instant | null;
  nextScheduledStartTime: Instant | null;
  startTime: Instant | null;
  endTime: Instant | null;
  /** Seconds (an `interval` column). */
  totalRunTime: number;
  tags: string[];
}

/** Who created a flow run (`created_by`), for the `creator` related resource of state events. */
export interface CreatedBy {
  id: string | null;
  type: string | null;
  displayValue: string | null;
}

export interface FlowRunSnapshot extends RunSnapshot {
  flowId: string;
  deploymentId: string | null;
  workQueueId: string | null;
  parentTaskRunId: string | null;
  infrastructurePid: string | null;
  createdBy: CreatedBy | null;
  empiricalPolicy: FlowRunPolicy;
}

export interface TaskRunSnapshot extends RunSnapshot {
  flowRunId: string | null;
  taskKey: string;
  dynamicKey: string;
  flowRunRunCount: number;
  empiricalPolicy: TaskRunPolicy;
}

export interface RunSnapshotOf {
  flow: FlowRunSnapshot;
  task: TaskRunSnapshot;
}

/** The fields orchestration may change, i.e. what `runChanges` can contain. */
export const MUTABLE_RUN_FIELDS = [
  'stateId',
  'stateType',
  'stateName',
  'stateTimestamp',
  'runCount',
  'expectedStartTime',
  'nextScheduledStartTime',
  'startTime',
  'endTime',
  'totalRunTime',
  'empiricalPolicy',
  'flowRunRunCount',
] as const;

export type MutableRunField = (typeof MUTABLE_RUN_FIELDS)[number];

export type RunChanges<K extends RunKind> = Partial<
  Pick<RunSnapshotOf[K], Extract<MutableRunField, keyof RunSnapshotOf[K]>>
>;

export function copyRun<R extends FlowRunSnapshot | TaskRunSnapshot>(run: R): R {
  const copy = { ...run, tags: [...run.tags] };
  if ('flowId' in copy) {
    copy.empiricalPolicy = copyFlowRunPolicy(copy.empiricalPolicy);
  } else {
    copy.empiricalPolicy = copyTaskRunPolicy(copy.empiricalPolicy);
  }
  return copy;
}

/** The mutable fields whose value differs between `before` and `after`. */
export function diffRun<R extends FlowRunSnapshot | TaskRunSnapshot>(before: R, after: R): Partial<R> {
  const changes: Partial<R> = {};
  for (const field of MUTABLE_RUN_FIELDS) {
    if (!(field in after)) continue;
    const a = (before as unknown as Record<string, unknown>)[field];
    const b = (after as unknown as Record<string, unknown>)[field];
    if (!sameValue(a, b)) {
      (changes as Record<string, unknown>)[field] = b;
    }
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if ('equals' in a && typeof a.equals === 'function') return (a.equals as (o: unknown) => boolean)(b);
  return JSON.stringify(a) === JSON.stringify(b);
}
