import { Injectable } from '@nestjs/common';
import { type Instant, type StateCreate, uuid7 } from '@orrery/domain';
import type { OrchestrationParameters } from '@orrery/orchestration';
import type { Labels, TaskRunRecord } from '@orrery/persistence';
import { OrchestrationTransactions } from './orchestration-transactions';
import { randomRunName } from './run-name';

/** What `POST /task_runs/` asks for (TaskRunCreate, validated). */
export interface CreateTaskRunCommand {
  id: string | null;
  name: string | null;
  flowRunId: string | null;
  taskKey: string;
  dynamicKey: string;
  cacheKey: string | null;
  cacheExpiration: Instant | null;
  taskVersion: string | null;
  /** TaskRunPolicy JSON (already normalised). */
  empiricalPolicy: Record<string, unknown>;
  tags: string[];
  labels: Labels | null;
  taskInputs: Record<string, unknown>;
  /** The initial state; PENDING when null. */
  state: StateCreate | null;
}

/**
 * Creates task runs (`POST /task_runs/`: subflow tracking tasks and deferred tasks). Idempotent on
 * `(flow_run_id, task_key, dynamic_key)`: the existing run is returned untouched. The initial state
 * is force-set through the engine (MinimalTaskPolicy, or BackgroundTaskPolicy for a deferred state).
 */
@Injectable()
export class TaskRunCreator {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  create(
    command: CreateTaskRunCommand,
    params: OrchestrationParameters,
  ): Promise<{ run: TaskRunRecord; created: boolean }> {
    return this.transactions.run(async (unit) => {
      // Labels, parent < system < user: the flow run's labels, then `prefect.flow-run.id`.
      const parentLabels = command.flowRunId === null ? null : await unit.flowRunLabels(command.flowRunId);
      const labels: Labels = {
        ...(parentLabels ?? {}),
        ...(command.flowRunId === null ? {} : { 'prefect.flow-run.id': command.flowRunId }),
        ...(command.labels ?? {}),
      };
      const { id, created } = await unit.insertTaskRun({
        id: command.id ?? uuid7(),
        name: command.name ?? randomRunName(),
        flowRunId: command.flowRunId,
        taskKey: command.taskKey,
        dynamicKey: command.dynamicKey,
        cacheKey: command.cacheKey,
        cacheExpiration: command.cacheExpiration,
        taskVersion: command.taskVersion,
        empiricalPolicy: command.empiricalPolicy,
        tags: command.tags,
        labels,
        taskInputs: command.taskInputs,
      });
      let run = await unit.lockTaskRun(id);
      if (run === null) throw new Error(`task run ${id} vanished while being created`);
      if (created) {
        await unit.setTaskRunState(run, command.state ?? { type: 'PENDING' }, { force: true, params });
        run = await unit.lockTaskRun(id);
        if (run === null) throw new Error(`task run ${id} vanished while being created`);
      }
      return { run, created };
    });
  }
}
