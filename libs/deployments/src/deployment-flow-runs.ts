import { Injectable } from '@nestjs/common';
import {
  flowRunPolicyFromWire,
  flowRunPolicyToWire,
  RequestValidationError,
  type StateCreate,
  UseCaseError,
} from '@orrery/domain';
import type { OrchestrationParameters } from '@orrery/orchestration';
import { type DeploymentRecord, DeploymentRepository, type FlowRunRecord } from '@orrery/persistence';
import { FlowRunCreator, WorkPoolNotFoundError, WorkQueueNotFoundError } from '@orrery/runs';
import { jobVariablesProblem } from './deployment-job-variables';
import { checkParameters, hydrateParameters } from './deployment-parameters';
import type { AutomationActor, DeploymentFlowRunInput } from './deployment.inputs';
import { DEPLOYMENT_NOT_FOUND, DeploymentsService } from './deployments.service';

/**
 * Runs created from a deployment (`POST /deployments/{id}/create_flow_run`, the run-deployment
 * action), always through FlowRunCreator so the initial state goes through the orchestration
 * engine with its event.
 */
@Injectable()
export class DeploymentFlowRuns {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly service: DeploymentsService,
    private readonly creator: FlowRunCreator,
  ) {}

  /** The deployment, or 404 "Deployment not found". */
  async deployment(id: string): Promise<DeploymentRecord> {
    const deployment = await this.deployments.get(id);
    if (deployment === null) throw UseCaseError.notFound(DEPLOYMENT_NOT_FOUND);
    return deployment;
  }

  /** `created: false` when a run of the same idempotency key exists (returned untouched). */
  async create(
    deployment: DeploymentRecord,
    body: DeploymentFlowRunInput,
    state: StateCreate,
    actor: AutomationActor | null,
    params: OrchestrationParameters,
  ): Promise<{ run: FlowRunRecord; created: boolean }> {
    if (body.work_queue_name != null && deployment.workPoolName === null) {
      throw new UseCaseError(
        400,
        'A deployment must have a work pool to create a flow run with a work queue name.',
      );
    }
    // A named queue is created in the deployment's pool first if needed (upstream auto-creates it).
    const queueName = body.work_queue_name ?? deployment.workQueueName;
    if (body.work_queue_name != null && deployment.workPoolName !== null) {
      await this.service.ensureQueue(deployment.workPoolName, body.work_queue_name);
    }
    const parameters = hydrateParameters({ ...deployment.parameters, ...(body.parameters ?? {}) });
    if (body.enforce_parameter_schema ?? deployment.enforceParameterSchema) {
      checkParameters(parameters, deployment.parameterOpenapiSchema, {
        prefix: 'Error creating flow run',
        ignoreRequired: false,
      });
    }
    const jobVariables = body.job_variables ?? {};
    if (deployment.workPoolId !== null) {
      const template = await this.service.baseJobTemplate(deployment.workPoolId);
      const problem =
        template === null
          ? null
          : jobVariablesProblem({ ...deployment.jobVariables, ...jobVariables }, template, {
              ignoreRequired: false,
            });
      if (problem !== null) throw UseCaseError.unprocessable(`Error creating flow run: ${problem}`);
    }
    try {
      return await this.creator.create(
        {
          flowId: deployment.flowId,
          name: body.name ?? null,
          flowVersion: null,
          parameters,
          context: body.context ?? {},
          parentTaskRunId: body.parent_task_run_id ?? null,
          infrastructureDocumentId: body.infrastructure_document_id ?? deployment.infrastructureDocumentId,
          empiricalPolicy: flowRunPolicyToWire(readPolicy(body.empirical_policy)),
          tags: [...new Set([...deployment.tags, ...(body.tags ?? [])])],
          labels: body.labels ?? null,
          idempotencyKey: body.idempotency_key ?? null,
          workPoolName: deployment.workPoolName,
          workQueueName: deployment.workPoolName === null ? null : queueName,
          jobVariables,
          deploymentId: deployment.id,
          deploymentVersion: deployment.version,
          state,
          createdBy: actor,
        },
        params,
      );
    } catch (error) {
      if (error instanceof WorkPoolNotFoundError || error instanceof WorkQueueNotFoundError) {
        throw UseCaseError.notFound(error.message);
      }
      throw error;
    }
  }
}

function readPolicy(wire: Record<string, unknown> | undefined): ReturnType<typeof flowRunPolicyFromWire> {
  try {
    return flowRunPolicyFromWire(wire ?? {});
  } catch (error) {
    throw new RequestValidationError([
      {
        type: 'value_error',
        loc: ['body', 'empirical_policy'],
        msg: (error as Error).message,
        input: wire ?? null,
      },
    ]);
  }
}
