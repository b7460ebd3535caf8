import type { WorkerFilter, WorkPoolFilter, WorkQueueFilter } from '@orrery/domain';
import { anyOf, type Clause, combine, startsWith } from './sql-clause';
import { listCriteria, timeCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A WorkPoolFilter as a condition on the `work_pool` table. */
export function workPoolFilterClause(f: WorkPoolFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'work_pool.id', 'uuid', f.id));
  if (f.name != null) parts.push(listCriteria(p, 'work_pool.name', 'text', f.name));
  if (f.type != null) parts.push(listCriteria(p, 'work_pool.type', 'text', f.type));
  return combine(f.operator, parts);
}

/** A WorkQueueFilter as a condition on the `work_queue` table. */
export function workQueueFilterClause(f: WorkQueueFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'work_queue.id', 'uuid', f.id));
  if (f.name != null) {
    const c: string[] = [];
    if (f.name.any_ != null) c.push(anyOf(p, 'work_queue.name', f.name.any_, 'text'));
    // An empty startswith_ list is dropped, as SQLAlchemy drops an empty or_().
    if (f.name.startswith_ != null && f.name.startswith_.length > 0) {
      const prefixes = f.name.startswith_.map((prefix) => startsWith(p, 'work_queue.name', prefix));
      c.push(combine('or_', prefixes)!);
    }
    parts.push(combine('and_', c));
  }
  return combine(f.operator, parts);
}

/** A WorkerFilter as a condition on the `worker` table. */
export function workerFilterClause(f: WorkerFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.last_heartbeat_time != null) {
    parts.push(timeCriteria(p, 'worker.last_heartbeat_time', f.last_heartbeat_time));
  }
  if (f.status != null) parts.push(listCriteria(p, 'worker.status', 'worker_status', f.status));
  return combine(f.operator, parts);
}
