import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { flowRunPolicyFromWire, flowRunPolicyToWire } from '@orrery/domain';
import { DeploymentRepository, type DeploymentRecord, type FlowRunRecord } from '@orrery/persistence';
import { FlowRunCreator, WorkPoolNotFoundError, WorkQueueNotFoundError } from '@orrery/runs';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { automationActor } from './automation-actor';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { flowRunResponse } from '../flow-runs/flow-run.serializer';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '../http/request-validation.error';
import { orchestrationParams } from '../states/orchestration-http';
import { stateCreateFromBody } from '../states/state-create.parser';
import { jobVariablesProblem } from './deployment-job-variables';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { checkParameterSize } from '../flow-runs/parameter-size';
import { checkParameters, hydrateParameters } from './deployment-parameters';
import { DeploymentFlowRunCreateDto } from './deployment.dto';
import { DEPLOYMENT_NOT_FOUND, DeploymentsService } from './deployments.service';

/** Most runs one bulk request may create. */
const MAX_BULK_RUNS = 100;

/**
 * Runs created from a deployment (`POST /deployments/{id}/create_flow_run` and `/bulk`), always
 * through FlowRunCreator so the initial state goes through the orchestration engine with its event.
 */
@Controller('deployments')
export class DeploymentFlowRunsController {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly service: DeploymentsService,
    private readonly creator: FlowRunCreator,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 with the new run; 200 with the existing run of the same idempotency key. */
  @Post(':id/create_flow_run')
  async create(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DeploymentFlowRunCreateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const deployment = await this.deployments.get(id);
    if (deployment === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    const { run, created } = await this.createRun(deployment, body, request);
    void reply.code(created ? 201 : 200);
    return flowRunResponse(run);
  }

  /** A bare array (≤ 100) of DeploymentFlowRunCreate; each run succeeds or fails on its own. */
  @Post(':id/create_flow_run/bulk')
  @HttpCode(200)
  async createBulk(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<{
    results: { flow_run_id: string | null; status: 'CREATED' | 'FAILED'; error: string | null }[];
  }> {
    if (!Array.isArray(body)) {
      throw new RequestValidationError([
        { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body },
      ]);
    }
    if (body.length > MAX_BULK_RUNS) {
      throw PrefectHttpError.unprocessable(`Cannot create more than ${MAX_BULK_RUNS} flow runs at once.`);
    }
    const deployment = await this.deployments.get(id);
    if (deployment === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    const results = [];
    for (const [index, item] of body.entries()) {
      try {
        const dto = plainToInstance(DeploymentFlowRunCreateDto, (item ?? {}) as object);
        const errors = await validate(dto, { whitelist: true });
        if (errors.length > 0) {
          throw new Error(`item ${index}: ${errors.map((e) => e.property).join(', ')} invalid`);
        }
        const { run } = await this.createRun(deployment, dto, request);
        results.push({ flow_run_id: run.id, status: 'CREATED' as const, error: null });
      } catch (error) {
        results.push({
          flow_run_id: null,
          status: 'FAILED' as const,
          error: error instanceof PrefectHttpError ? error.detail : (error as Error).message,
        });
      }
    }
    return { results };
  }

  private async createRun(
    deployment: DeploymentRecord,
    body: DeploymentFlowRunCreateDto,
    request: FastifyRequest,
  ): Promise<{ run: FlowRunRecord; created: boolean }> {
    const state =
      body.state == null
        ? { type: 'SCHEDULED' as const }
        : stateCreateFromBody(body.state, ['body', 'state']);
    if (body.work_queue_name != null && deployment.workPoolName === null) {
      throw new PrefectHttpError(
        400,
        'A deployment must have a work pool to create a flow run with a work queue name.',
      );
    }
    // A named queue is created in the deployment's pool first if needed (upstream auto-creates it).
    const queueName = body.work_queue_name ?? deployment.workQueueName;
    if (body.work_queue_name != null && deployment.workPoolName !== null) {
      await this.service.ensureQueue(deployment.workPoolName, body.work_queue_name);
    }
    checkParameterSize(body.parameters, this.options.maxParameterSize, 'Flow run');
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
      if (problem !== null) throw PrefectHttpError.unprocessable(`Error creating flow run: ${problem}`);
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
          createdBy: automationActor(request),
        },
        orchestrationParams(request),
      );
    } catch (error) {
      if (error instanceof WorkPoolNotFoundError || error instanceof WorkQueueNotFoundError) {
        throw PrefectHttpError.notFound(error.message);
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
