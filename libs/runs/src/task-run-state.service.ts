import { Injectable } from '@nestjs/common';
import type { StateCreate } from '@orrery/domain';
import type { OrchestrationParameters, OrchestrationResult } from '@orrery/orchestration';
import { OrchestrationTransactions } from './orchestration-transactions';

/** Task-run state changes through the engine (`POST /task_runs/{id}/set_state`). */
@Injectable()
export class TaskRunStateService {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  /** Null when the run does not exist; throws what `orchestrate` throws. */
  setState(
    taskRunId: string,
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters },
  ): Promise<OrchestrationResult<'task'> | null> {
    return this.transactions.run(async (unit) => {
      const run = await unit.lockTaskRun(taskRunId);
      if (run === null) return null;
      return unit.setTaskRunState(run, proposed, options);
    });
  }
}
