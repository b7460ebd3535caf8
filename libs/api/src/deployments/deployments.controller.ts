import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { Instant, laxInstantOrNull, laxUuid, paginated } from '@orrery/domain';
import { FlowRunRepository } from '@orrery/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { automationActor } from './automation-actor';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { DEPLOYMENT_BODY } from '../filters/filter-bodies';
import {
  parseBulkBody,
  parseFilterCriteria,
  parseListBody,
  parsePaginateBody,
} from '../filters/list-body.parser';
import { FLOW_RUN, flowRunResponse } from '../flow-runs/flow-run.serializer';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { checkParameterSize } from '../flow-runs/parameter-size';
import {
  DEPLOYMENT,
  DEPLOYMENT_BULK_DELETE,
  DEPLOYMENT_PAGE,
  DEPLOYMENT_SCHEDULE,
  DeploymentCreateDto,
  DeploymentUpdateDto,
  scheduleInputSchema,
} from './deployment.dto';
import { DeploymentsService, DEPLOYMENT_NOT_FOUND } from '@orrery/deployments';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, CREATED_OR_EXISTING, wire, type WireOf } from '../openapi/wire-schema';
import { ApiBody } from '@nestjs/swagger';

/** `/api/deployments` (spec-api-orchestration §7.3), except the flow-run creation routes. */
@Controller('deployments')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly runs: FlowRunRepository,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** Upsert on `(flow_id, name)`: 201 when this request created it, 200 when it overwrote one. */
  @ApiWireResponse(DEPLOYMENT, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: DeploymentCreateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WireOf<typeof DEPLOYMENT>> {
    checkParameterSize(body.parameters, this.options.maxParameterSize, 'Deployment');
    const { response, created } = await this.deployments.create(body, automationActor(request));
    void reply.code(created ? 201 : 200);
    return response;
  }

  @ApiFilterBody(DEPLOYMENT_BODY, 'list')
  @ApiWireResponse(wire.array(DEPLOYMENT))
  @Post('filter')
  @HttpCode(200)
  filter(@Body() body: unknown): Promise<WireOf<typeof DEPLOYMENT>[]> {
    return this.deployments.list(parseListBody(DEPLOYMENT_BODY, body, this.options.defaultLimit));
  }

  @ApiFilterBody(DEPLOYMENT_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.deployments.count(parseFilterCriteria(DEPLOYMENT_BODY, body));
  }

  @ApiFilterBody(DEPLOYMENT_BODY, 'paginate')
  @ApiWireResponse(DEPLOYMENT_PAGE)
  @Post('paginate')
  @HttpCode(200)
  async paginate(@Body() body: unknown): Promise<object> {
    const request = parsePaginateBody(DEPLOYMENT_BODY, body, this.options.defaultLimit);
    const [results, count] = await Promise.all([
      this.deployments.list(request),
      this.deployments.count(request),
    ]);
    return paginated(results, count, request);
  }

  @ApiFilterBody(DEPLOYMENT_BODY, 'bulk')
  @ApiWireResponse(DEPLOYMENT_BULK_DELETE)
  @Post('bulk_delete')
  @HttpCode(200)
  async bulkDelete(@Body() body: unknown): Promise<{ deleted: string[] }> {
    const { limit, ...criteria } = parseBulkBody(DEPLOYMENT_BODY, body);
    return { deleted: await this.deployments.deleteMatching(criteria, limit) };
  }

  /**
   * Runner polls (§6.4): SCHEDULED runs of those deployments due before `scheduled_before`, by
   * `next_scheduled_start_time`; the deployments become READY with `last_polled` (not `updated`).
   */
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        deployment_ids: { type: 'array', items: { type: 'string', format: 'uuid' } },
        scheduled_before: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        limit: { type: 'integer', minimum: 0 },
      },
      required: ['deployment_ids'],
    },
  })
  @ApiWireResponse(wire.array(FLOW_RUN))
  @Post('get_scheduled_flow_runs')
  @HttpCode(200)
  async scheduledFlowRuns(@Body() body: unknown): Promise<object[]> {
    const { deploymentIds, scheduledBefore, limit } = this.readPollBody(body);
    const runs = await this.runs.list({
      deployments: { id: { any_: deploymentIds } },
      flow_runs: {
        state: { type: { any_: ['SCHEDULED'] } },
        ...(scheduledBefore === null ? {} : { next_scheduled_start_time: { before_: scheduledBefore } }),
      },
      sort: 'NEXT_SCHEDULED_START_TIME_ASC',
      limit,
      offset: 0,
    });
    await this.deployments.markReady(deploymentIds);
    const now = Instant.now();
    return runs.map((run) => flowRunResponse(run, now));
  }

  @ApiWireResponse(DEPLOYMENT)
  @Get('name/:flow_name/:deployment_name')
  async readByName(
    @Param('flow_name') flowName: string,
    @Param('deployment_name') name: string,
  ): Promise<WireOf<typeof DEPLOYMENT>> {
    const deployment = await this.deployments.getByName(flowName, name);
    if (deployment === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return deployment;
  }

  @ApiWireResponse(DEPLOYMENT)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<WireOf<typeof DEPLOYMENT>> {
    const deployment = await this.deployments.get(id);
    if (deployment === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return deployment;
  }

  @Patch(':id')
  @HttpCode(204)
  async update(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DeploymentUpdateDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    checkParameterSize(body.parameters, this.options.maxParameterSize, 'Deployment');
    if (!(await this.deployments.update(id, body, automationActor(request))))
      throw PrefectHttpError.notFound(`${DEPLOYMENT_NOT_FOUND}.`);
  }

  /** Also deletes its SCHEDULED runs (except AwaitingConcurrencySlot) and its `deployment:<id>` limit. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.deployments.delete(id))) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
  }

  /** Legacy: pausing deletes the auto-scheduled runs. */
  @Post(':id/pause_deployment')
  @HttpCode(200)
  async pause(@Param('id', UuidParamPipe) id: string): Promise<null> {
    if (!(await this.deployments.setPaused(id, true))) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return null;
  }

  @Post(':id/resume_deployment')
  @HttpCode(200)
  async resume(@Param('id', UuidParamPipe) id: string): Promise<null> {
    if (!(await this.deployments.setPaused(id, false))) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return null;
  }

  @ApiWireResponse(wire.array(DEPLOYMENT_SCHEDULE))
  @Get(':id/schedules')
  async schedules(@Param('id', UuidParamPipe) id: string): Promise<WireOf<typeof DEPLOYMENT_SCHEDULE>[]> {
    const schedules = await this.deployments.schedules(id);
    if (schedules === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return schedules;
  }

  /** The body is a bare array of DeploymentScheduleCreate; 409 on a slug the deployment already has. */
  @ApiBody({ schema: { type: 'array', items: scheduleInputSchema('create') } as never })
  @ApiWireResponse(wire.array(DEPLOYMENT_SCHEDULE), 201)
  @Post(':id/schedules')
  @HttpCode(201)
  async addSchedules(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
  ): Promise<WireOf<typeof DEPLOYMENT_SCHEDULE>[]> {
    if (!Array.isArray(body)) {
      throw new RequestValidationError([
        { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body },
      ]);
    }
    const created = await this.deployments.addSchedules(id, body);
    if (created === null) throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    return created;
  }

  @ApiBody({ schema: scheduleInputSchema('update') as never })
  @Patch(':id/schedules/:schedule_id')
  @HttpCode(204)
  async updateSchedule(
    @Param('id', UuidParamPipe) id: string,
    @Param('schedule_id', UuidParamPipe) scheduleId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const result = await this.deployments.updateSchedule(id, scheduleId, body ?? {});
    if (result === 'deployment') throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    if (result === 'schedule') throw PrefectHttpError.notFound('Schedule not found');
  }

  @Delete(':id/schedules/:schedule_id')
  @HttpCode(204)
  async deleteSchedule(
    @Param('id', UuidParamPipe) id: string,
    @Param('schedule_id', UuidParamPipe) scheduleId: string,
  ): Promise<void> {
    const result = await this.deployments.deleteSchedule(id, scheduleId);
    if (result === 'deployment') throw PrefectHttpError.notFound(DEPLOYMENT_NOT_FOUND);
    if (result === 'schedule') throw PrefectHttpError.notFound('Schedule not found');
  }

  private readPollBody(body: unknown): {
    deploymentIds: string[];
    scheduledBefore: Instant | null;
    limit: number;
  } {
    const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const issues = [];
    const ids = raw.deployment_ids;
    // Every UUID form pydantic reads, canonical.
    const deploymentIds = Array.isArray(ids)
      ? ids.map(laxUuid).flatMap((id) => (id.ok ? [id.value] : []))
      : [];
    if (!Array.isArray(ids) || deploymentIds.length !== ids.length) {
      issues.push({
        type: ids === undefined ? 'missing' : 'list_type',
        loc: ['body', 'deployment_ids'],
        msg: ids === undefined ? 'Field required' : 'Input should be a valid list of UUIDs',
        input: ids ?? null,
      });
    }
    let scheduledBefore: Instant | null = null;
    if (raw.scheduled_before != null) {
      scheduledBefore = laxInstantOrNull(raw.scheduled_before);
      if (scheduledBefore === null) {
        issues.push({
          type: 'datetime_from_date_parsing',
          loc: ['body', 'scheduled_before'],
          msg: 'Input should be a valid datetime',
          input: raw.scheduled_before,
        });
      }
    }
    const limit = raw.limit ?? this.options.defaultLimit;
    if (typeof limit !== 'number' || !Number.isInteger(limit)) {
      issues.push({
        type: 'int_type',
        loc: ['body', 'limit'],
        msg: 'Input should be a valid integer',
        input: limit,
      });
    } else if (limit < 0) {
      throw PrefectHttpError.unprocessable('Invalid limit: must be greater than or equal to 0.');
    } else if (limit > this.options.defaultLimit) {
      throw PrefectHttpError.unprocessable(
        `Invalid limit: must be less than or equal to ${this.options.defaultLimit}.`,
      );
    }
    if (issues.length > 0) throw new RequestValidationError(issues);
    return {
      deploymentIds,
      scheduledBefore,
      limit: limit as number,
    };
  }
}
