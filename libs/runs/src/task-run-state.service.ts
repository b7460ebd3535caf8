import { Injectable } from '@nestjs/common';
import type { StateCreate } from '@orrery/domain';
import {
  OrchestrationObjectNotFoundError,
  type OrchestrationParameters,
  type OrchestrationResult,
} from '@orrery/orchestration';
import { traceOrchestration } from '@orrery/telemetry';
import { OrchestrationTransactions } from './orchestration-transactions';

/** Task-run state changes through the engine (`POST /task_runs/{id}/set_state`). */
@Injectable()
export class TaskRunStateService {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  /** Throws OrchestrationObjectNotFoundError when the run does not exist, and what `orchestrate` throws. */
  setState(
    taskRunId: string,
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters },
  ): Promise<OrchestrationResult<'task'>> {
    return traceOrchestration('task_run', proposed.type, () =>
      this.transactions.run(async (unit) => {
        const run = await unit.lockTaskRun(taskRunId);
        if (run === null)
          throw new OrchestrationObjectNotFoundError(`Task run with id ${taskRunId} not found`);
        return unit.setTaskRunState(run, proposed, options);
      }),
    );
  }
}
