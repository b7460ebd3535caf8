import {
  flowRunPolicyToWire,
  type FlowRunPolicy,
  Instant,
  taskRunPolicyToWire,
  type TaskRunPolicy,
} from '@orrery/domain';
import type { FlowRunSnapshot, TaskRunSnapshot } from '@orrery/orchestration';

type AnyChanges = Partial<FlowRunSnapshot> | Partial<TaskRunSnapshot>;

/** Column, cast and encoder of each field orchestration may change (MUTABLE_RUN_FIELDS). */
const COLUMNS: Readonly<
  Record<string, { column: string; encode: (value: unknown, kind: 'flow' | 'task') => Encoded }>
> = {
  stateId: { column: 'state_id', encode: (v) => ({ sql: '::uuid', value: v }) },
  stateType: { column: 'state_type', encode: (v) => ({ sql: '::state_type', value: v }) },
  stateName: { column: 'state_name', encode: (v) => ({ sql: '::text', value: v }) },
  stateTimestamp: { column: 'state_timestamp', encode: instant },
  runCount: { column: 'run_count', encode: (v) => ({ sql: '::int', value: v }) },
  expectedStartTime: { column: 'expected_start_time', encode: instant },
  nextScheduledStartTime: { column: 'next_scheduled_start_time', encode: instant },
  startTime: { column: 'start_time', encode: instant },
  endTime: { column: 'end_time', encode: instant },
  // Float seconds into an interval, at the microsecond.
  totalRunTime: {
    column: 'total_run_time',
    encode: (v) => ({ sql: '::float8)', value: v, prefix: 'make_interval(secs => ' }),
  },
  empiricalPolicy: {
    column: 'empirical_policy',
    encode: (v, kind) => ({
      sql: '::jsonb',
      value: JSON.stringify(
        kind === 'flow' ? flowRunPolicyToWire(v as FlowRunPolicy) : taskRunPolicyToWire(v as TaskRunPolicy),
      ),
    }),
  },
  flowRunRunCount: { column: 'flow_run_run_count', encode: (v) => ({ sql: '::int', value: v }) },
};

/** `<prefix>$n<sql>`: how one bound value is written into the SET list. */
interface Encoded {
  sql: string;
  value: unknown;
  prefix?: string;
}

function instant(value: unknown): Encoded {
  return { sql: '::timestamptz', value: value instanceof Instant ? value.toISOString() : null };
}

/**
 * The one UPDATE that writes an orchestration's `runChanges` to the run row (and bumps `updated`),
 * or null when nothing changed. Explicit SQL: TypeORM's save() misses sub-millisecond changes.
 */
export function runChangesUpdate(
  kind: 'flow' | 'task',
  runId: string,
  changes: AnyChanges,
): { sql: string; params: unknown[] } | null {
  const sets: string[] = [];
  const params: unknown[] = [runId];
  for (const [field, value] of Object.entries(changes)) {
    const spec = COLUMNS[field];
    if (spec === undefined || value === undefined) continue;
    const encoded = spec.encode(value, kind);
    params.push(encoded.value);
    sets.push(`${spec.column} = ${encoded.prefix ?? ''}$${params.length}${encoded.sql}`);
  }
  if (sets.length === 0) return null;
  const table = kind === 'flow' ? 'flow_run' : 'task_run';
  return { sql: `UPDATE ${table} SET ${sets.join(', ')}, updated = now() WHERE id = $1`, params };
}
