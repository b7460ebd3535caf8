import { Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';

/** `TaskWorkerResponse` on the wire. */
export interface TaskWorkerResponse {
  readonly identifier: string;
  readonly task_keys: string[];
  readonly timestamp: string;
}

interface TrackedWorker {
  readonly keys: Set<string>;
  sockets: number;
  seen: Instant;
}

/**
 * The task workers connected to this replica (`POST /task_workers/filter`), like upstream's
 * in-memory tracker: a worker is known while one of its sockets is open, with the task keys it
 * subscribed to and when it was last seen (subscribe, each acknowledged run, each idle check).
 */
@Injectable()
export class TaskWorkerTracker {
  private readonly workers = new Map<string, TrackedWorker>();

  observe(clientId: string, taskKeys: readonly string[]): void {
    const worker = this.workers.get(clientId);
    if (worker === undefined) return;
    for (const key of taskKeys) worker.keys.add(key);
    worker.seen = Instant.now();
  }

  /** A socket of this worker opened; returns its release (the worker is forgotten with its last socket). */
  connect(clientId: string, taskKeys: readonly string[]): () => void {
    let worker = this.workers.get(clientId);
    if (worker === undefined) {
      worker = { keys: new Set(), sockets: 0, seen: Instant.now() };
      this.workers.set(clientId, worker);
    }
    worker.sockets += 1;
    this.observe(clientId, taskKeys);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.workers.get(clientId);
      if (current === undefined) return;
      current.sockets -= 1;
      if (current.sockets <= 0) this.workers.delete(clientId);
    };
  }

  /** Every worker, or those subscribed to any of `taskKeys` (an empty list means every worker). */
  list(taskKeys: readonly string[] | null): TaskWorkerResponse[] {
    const wanted = taskKeys === null || taskKeys.length === 0 ? null : new Set(taskKeys);
    const found: TaskWorkerResponse[] = [];
    for (const [identifier, worker] of this.workers) {
      if (wanted !== null && ![...worker.keys].some((k) => wanted.has(k))) continue;
      found.push({ identifier, task_keys: [...worker.keys], timestamp: worker.seen.toISOString() });
    }
    return found;
  }
}
