import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { DeploymentFlowRuns } from '@orrery/deployments';
import { UseCaseError } from '@orrery/domain';
import type { DeploymentRecord, FlowRunRecord } from '@orrery/persistence';
import { plainToInstance } from 'class-transformer';
import { plainToDto } from '@orrery/bus';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { automationActor } from './automation-actor';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { FLOW_RUN, flowRunResponse } from '../flow-runs/flow-run.serializer';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { orchestrationParams } from '../states/orchestration-http';
import { stateCreateFromBody } from '../states/state-create.parser';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { checkParameterSize } from '../flow-runs/parameter-size';
import { DeploymentFlowRunCreateDto } from './deployment.dto';
import { ApiWireResponse, CREATED_OR_EXISTING, wire, wireModel, type WireOf } from '../openapi/wire-schema';
import { ApiBody } from '@nestjs/swagger';

/** One item of a bulk create: the new run's id, or why that item failed. */
const FLOW_RUN_BULK_CREATE = wireModel('FlowRunBulkCreateResponse', {
  results: wire.array(
    wireModel('FlowRunCreateResult', {
      flow_run_id: wire.nullable(wire.uuid()),
      status: wire.enum(['CREATED', 'FAILED'] as const),
      error: wire.nullable(wire.string()),
    }),
  ),
});

/** Most runs one bulk request may create. */
const MAX_BULK_RUNS = 100;

/**
 * Runs created from a deployment (`POST /deployments/{id}/create_flow_run` and `/bulk`), always
 * through FlowRunCreator so the initial state goes through the orchestration engine with its event.
 */
@Controller('deployments')
export class DeploymentFlowRunsController {
  constructor(
    private readonly runs: DeploymentFlowRuns,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 with the new run; 200 with the existing run of the same idempotency key. */
  @ApiWireResponse(FLOW_RUN, CREATED_OR_EXISTING)
  @Post(':id/create_flow_run')
  async create(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DeploymentFlowRunCreateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const deployment = await this.runs.deployment(id);
    const { run, created } = await this.createRun(deployment, body, request);
    void reply.code(created ? 201 : 200);
    return flowRunResponse(run);
  }

  /** A bare array (≤ 100) of DeploymentFlowRunCreate; each run succeeds or fails on its own. */
  @ApiBody({
    schema: {
      type: 'array',
      items: { $ref: `#/components/schemas/${DeploymentFlowRunCreateDto.name}` },
      maxItems: MAX_BULK_RUNS,
    },
  })
  @ApiWireResponse(FLOW_RUN_BULK_CREATE)
  @Post(':id/create_flow_run/bulk')
  @HttpCode(200)
  async createBulk(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<WireOf<typeof FLOW_RUN_BULK_CREATE>> {
    if (!Array.isArray(body)) {
      throw new RequestValidationError([
        { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body },
      ]);
    }
    if (body.length > MAX_BULK_RUNS) {
      throw PrefectHttpError.unprocessable(`Cannot create more than ${MAX_BULK_RUNS} flow runs at once.`);
    }
    const deployment = await this.runs.deployment(id);
    const results = [];
    for (const [index, item] of body.entries()) {
      try {
        const dto =
          typeof item === 'object' && item !== null && !Array.isArray(item)
            ? plainToDto(DeploymentFlowRunCreateDto, item as Record<string, unknown>)
            : plainToInstance(DeploymentFlowRunCreateDto, (item ?? {}) as object);
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
          error:
            error instanceof PrefectHttpError || error instanceof UseCaseError
              ? error.detail
              : (error as Error).message,
        });
      }
    }
    return { results };
  }

  private createRun(
    deployment: DeploymentRecord,
    body: DeploymentFlowRunCreateDto,
    request: FastifyRequest,
  ): Promise<{ run: FlowRunRecord; created: boolean }> {
    const state =
      body.state == null
        ? { type: 'SCHEDULED' as const }
        : stateCreateFromBody(body.state, ['body', 'state']);
    checkParameterSize(body.parameters, this.options.maxParameterSize, 'Flow run');
    return this.runs.create(deployment, body, state, automationActor(request), orchestrationParams(request));
  }
}
