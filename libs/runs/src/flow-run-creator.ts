import { Injectable } from '@nestjs/common';
import { type StateCreate, uuid7 } from '@orrery/domain';
import type { OrchestrationParameters } from '@orrery/orchestration';
import type { FlowRunRecord, Labels, OrchestrationUnit } from '@orrery/persistence';
import { OrchestrationTransactions } from './orchestration-transactions';
import { randomRunName } from './run-name';
import { WorkPoolNotFoundError, WorkQueueNotFoundError } from './runs.errors';

/** What `POST /flow_runs/` asks for (FlowRunCreate, validated). */
export interface CreateFlowRunCommand {
  flowId: string;
  name: string | null;
  flowVersion: string | null;
  parameters: Record<string, unknown>;
  context: Record<string, unknown>;
  parentTaskRunId: string | null;
  infrastructureDocumentId: string | null;
  /** FlowRunPolicy JSON (already normalised). */
  empiricalPolicy: Record<string, unknown>;
  tags: string[];
  labels: Labels | null;
  idempotencyKey: string | null;
  workPoolName: string | null;
  workQueueName: string | null;
  jobVariables: Record<string, unknown> | null;
  deploymentId: string | null;
  /** The initial state; PENDING when null. */
  state: StateCreate | null;
  /** `created_by` (an automation creating runs through the API), as stored. */
  createdBy: { id: string; type: string; display_value: string } | null;
  /** The deployment's `version` (runs created from a deployment). */
  deploymentVersion?: string | null;
}

/**
 * Creates flow runs (`POST /flow_runs/`; later the deployment and scheduler paths): one
 * transaction inserts the row — or finds the run with the same `(flow_id, idempotency_key)`, which
 * is returned untouched — and force-sets its initial state through the engine (MinimalFlowPolicy),
 * so the state row, the run's state columns and the `prefect.flow-run.<state>` event commit together.
 */
@Injectable()
export class FlowRunCreator {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  create(
    command: CreateFlowRunCommand,
    params: OrchestrationParameters,
  ): Promise<{ run: FlowRunRecord; created: boolean }> {
    return this.transactions.run(async (unit) => {
      let workQueueId: string | null = null;
      if (command.workPoolName !== null) {
        const queue = await unit.resolveWorkQueue(command.workPoolName, command.workQueueName);
        if ('missingPool' in queue) throw new WorkPoolNotFoundError(queue.missingPool);
        if (queue.id === null && command.workQueueName !== null) {
          throw new WorkQueueNotFoundError(command.workPoolName, command.workQueueName);
        }
        workQueueId = queue.id;
      }
      const inserted = await unit.insertFlowRun({
        id: uuid7(),
        name: command.name ?? randomRunName(),
        flowId: command.flowId,
        flowVersion: command.flowVersion,
        parameters: command.parameters,
        context: command.context,
        parentTaskRunId: command.parentTaskRunId,
        infrastructureDocumentId: command.infrastructureDocumentId,
        empiricalPolicy: command.empiricalPolicy,
        tags: command.tags,
        labels: await this.labels(unit, command),
        idempotencyKey: command.idempotencyKey,
        workQueueId,
        workQueueName: command.workQueueName,
        jobVariables: command.jobVariables,
        deploymentId: command.deploymentId,
        createdBy: command.createdBy,
        deploymentVersion: command.deploymentVersion ?? null,
      });
      const { id, created } = inserted;
      if (inserted.created) {
        const before = inserted.record;
        const result = await unit.setFlowRunState(before, command.state ?? { type: 'PENDING' }, {
          force: true,
          params,
        });
        const after = unit.flowRunAfter(before, result);
        if (after !== null) return { run: after, created };
      }
      const run = await unit.readFlowRun(id);
      if (run === null) throw new Error(`flow run ${id} vanished while being created`);
      return { run, created };
    });
  }

  /**
   * System labels (spec-api §2.1), parent < system < user: the deployment's labels and
   * `prefect.deployment.id` for a deployment run, otherwise the flow's labels; then `prefect.flow.id`.
   */
  private async labels(unit: OrchestrationUnit, command: CreateFlowRunCommand): Promise<Labels> {
    const deploymentLabels =
      command.deploymentId === null ? undefined : await unit.deploymentLabels(command.deploymentId);
    const parent =
      deploymentLabels !== undefined
        ? { ...(deploymentLabels ?? {}), 'prefect.deployment.id': command.deploymentId! }
        : ((await unit.flowLabels(command.flowId)) ?? {});
    return { ...parent, 'prefect.flow.id': command.flowId, ...(command.labels ?? {}) };
  }
}
