import { Instant } from '@orrery/domain';
import type { RecordedTaskRun, RecordedTaskRunState } from '@orrery/persistence';

/** The parts of a client `prefect.task-run.*` event the recorder reads (spec-api §6.6). */
export interface TaskRunEvent {
  readonly id: string;
  readonly occurred: string;
  readonly event: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly related?: readonly Readonly<Record<string, string>>[];
  readonly payload?: {
    readonly validated_state?: {
      readonly type?: string;
      readonly name?: string;
      readonly message?: string | null;
      readonly state_details?: Record<string, unknown>;
      readonly data?: unknown;
    };
    readonly task_run?: Record<string, unknown>;
  };
}

const TASK_RUN_PREFIX = 'prefect.task-run.';
const FLOW_RUN_PREFIX = 'prefect.flow-run.';

/** Only task-run events that a client orchestrated itself carry task runs to record. */
export function isClientTaskRunEvent(event: TaskRunEvent): boolean {
  return (
    event.event.startsWith('prefect.task-run.') &&
    event.resource['prefect.orchestration'] === 'client' &&
    (event.resource['prefect.resource.id'] ?? '').startsWith(TASK_RUN_PREFIX)
  );
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;
/** Client datetimes: any ISO-8601, normalised to µs UTC text; null when absent or unparseable. */
const time = (v: unknown): string | null =>
  typeof v === 'string' ? (Instant.tryParse(v)?.toISOString() ?? null) : null;

/**
 * Turns a batch of events into task-run rows and state rows. Each event is one state; per task run
 * (by id, and by its natural key (flow_run_id, task_key, dynamic_key)) only the newest state's row is
 * kept, so one statement never touches a row twice. Every state row is kept.
 */
export function taskRunRows(events: readonly TaskRunEvent[]): {
  runs: RecordedTaskRun[];
  states: RecordedTaskRunState[];
} {
  const newest = new Map<string, RecordedTaskRun>();
  const byNaturalKey = new Map<string, string>();
  const aliases = new Map<string, string>();
  const states: RecordedTaskRunState[] = [];
  for (const event of events) {
    if (!isClientTaskRunEvent(event)) continue;
    const id = event.resource['prefect.resource.id']!.slice(TASK_RUN_PREFIX.length);
    const flowRunResource = event.related?.find((r) => r['prefect.resource.role'] === 'flow-run')?.[
      'prefect.resource.id'
    ];
    const flowRunId = flowRunResource?.startsWith(FLOW_RUN_PREFIX)
      ? flowRunResource.slice(FLOW_RUN_PREFIX.length)
      : null;
    const state = event.payload?.validated_state ?? {};
    const run = event.payload?.task_run ?? {};
    const timestamp = time(event.occurred);
    const type = text(state.type) ?? event.resource['prefect.state-type'];
    if (timestamp === null || type === undefined) continue;
    const name =
      text(state.name) ??
      event.resource['prefect.state-name'] ??
      type.charAt(0) + type.slice(1).toLowerCase();
    states.push({
      id: event.id,
      task_run_id: id,
      type,
      name,
      timestamp,
      message: text(state.message),
      state_details: { ...(state.state_details ?? {}), task_run_id: id, flow_run_id: flowRunId },
      data: state.data ?? null,
    });
    const row: RecordedTaskRun = {
      id,
      flow_run_id: flowRunId,
      name: text(run.name) ?? event.resource['prefect.resource.name'] ?? id,
      task_key: text(run.task_key) ?? id,
      dynamic_key: text(run.dynamic_key) ?? '0',
      cache_key: text(run.cache_key),
      cache_expiration: time(run.cache_expiration),
      task_version: text(run.task_version),
      empirical_policy: run.empirical_policy ?? {},
      task_inputs: run.task_inputs ?? {},
      tags: run.tags ?? [],
      labels: run.labels ?? null,
      run_count: num(run.run_count, 0),
      flow_run_run_count: num(run.flow_run_run_count, 0),
      expected_start_time: time(run.expected_start_time),
      next_scheduled_start_time: time(run.next_scheduled_start_time),
      start_time: time(run.start_time),
      end_time: time(run.end_time),
      total_run_time: num(run.total_run_time, 0),
      state_id: event.id,
      state_type: type,
      state_name: name,
      state_timestamp: timestamp,
    };
    // The first id seen for a natural key survives; later ids with the same key are aliases of it.
    const naturalKey =
      flowRunId === null ? null : `${flowRunId}\u0000${row.task_key}\u0000${row.dynamic_key}`;
    const survivor =
      aliases.get(id) ?? (naturalKey !== null ? byNaturalKey.get(naturalKey) : undefined) ?? id;
    aliases.set(id, survivor);
    if (naturalKey !== null && !byNaturalKey.has(naturalKey)) byNaturalKey.set(naturalKey, survivor);
    // Equal timestamps: the later event of the batch wins, as upstream's stable sort by timestamp
    // followed by "last one per key" (the database upsert between batches keeps its strict `<`).
    const current = newest.get(survivor);
    if (current === undefined || current.state_timestamp <= row.state_timestamp)
      newest.set(survivor, { ...row, id: survivor });
  }
  const runs = [...newest.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    runs,
    states: states.map((s) => {
      const taskRunId = aliases.get(s.task_run_id) ?? s.task_run_id;
      return {
        ...s,
        task_run_id: taskRunId,
        state_details: { ...(s.state_details as object), task_run_id: taskRunId },
      };
    }),
  };
}
