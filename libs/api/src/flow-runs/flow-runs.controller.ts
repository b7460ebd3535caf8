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
import {
  type FlowRunCriteria,
  flowRunPolicyFromWire,
  flowRunPolicyToWire,
  Instant,
  isUuid,
  paginated,
} from '@orrery/domain';
import { OrchestrationObjectNotFoundError } from '@orrery/orchestration';
import { FlowRunRepository, type FlowRunUpdate, type Labels } from '@orrery/persistence';
import {
  FlowRunCreator,
  FlowRunResumer,
  FlowRunStateService,
  WorkPoolNotFoundError,
  WorkQueueNotFoundError,
} from '@orrery/runs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { FLOW_RUN_BODY } from '../filters/filter-bodies';
import { FlowRunFilterDto } from '../filters/flow-run-filter.dto';
import {
  type FilterBodySpec,
  parseBulkBody,
  parseFilterCriteria,
  parseListBody,
  parsePaginateBody,
} from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { checkParameterSize } from './parameter-size';
import { orchestrationParams } from '../states/orchestration-http';
import { SetStateBodyDto } from '../states/set-state-body.dto';
import { stateCreateFromBody } from '../states/state-create.parser';
import {
  ORCHESTRATION_RESULT,
  orchestrationResultResponse,
  stateResponseOrNull,
} from '../states/state.serializer';
import { FlowRunCreateDto, FlowRunUpdateDto, ResumeBodyDto } from './flow-run.dto';
import {
  FLOW_RUN,
  FLOW_RUN_BULK_DELETE,
  FLOW_RUN_BULK_SET_STATE,
  FLOW_RUN_PAGE,
  flowRunResponse,
} from './flow-run.serializer';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiBody } from '@nestjs/swagger';
import {
  ApiWireResponse,
  CREATED_OR_EXISTING,
  STATE_WRITTEN_OR_NOT,
  wire,
  type WireOf,
} from '../openapi/wire-schema';

const FLOW_RUN_NOT_FOUND = 'Flow run not found';
/** The bulk endpoints read only the `flow_runs` filter (other top-level keys are ignored, as upstream). */
const BULK_BODY: FilterBodySpec<Pick<FlowRunCriteria, 'flow_runs'>> = {
  filters: { flow_runs: FlowRunFilterDto },
};
/** Prefect's default PREFECT_SERVER_API_MAX_PARAMETER_SIZE. */

/**
 * `/api/flow_runs` (spec-api §7.1): creation, reads, plain updates and every state change — the
 * latter through the run use-cases (libs/runs), which orchestrate in one transaction per run.
 */
@Controller('flow_runs')
export class FlowRunsController {
  constructor(
    private readonly runs: FlowRunRepository,
    private readonly creator: FlowRunCreator,
    private readonly states: FlowRunStateService,
    private readonly resumer: FlowRunResumer,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 with the new run; 200 with the existing run of the same `(flow_id, idempotency_key)`. */
  @ApiWireResponse(FLOW_RUN, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: FlowRunCreateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const state = body.state == null ? null : stateCreateFromBody(body.state, ['body', 'state']);
    const parameters = body.parameters ?? {};
    checkParameterSize(parameters, this.options.maxParameterSize, 'Flow run');
    try {
      const { run, created } = await this.creator.create(
        {
          flowId: body.flow_id,
          name: body.name ?? null,
          flowVersion: body.flow_version ?? null,
          parameters,
          context: body.context ?? {},
          parentTaskRunId: body.parent_task_run_id ?? null,
          infrastructureDocumentId: body.infrastructure_document_id ?? null,
          empiricalPolicy: flowRunPolicyToWire(readPolicy(body.empirical_policy)),
          tags: body.tags ?? [],
          labels: body.labels ?? null,
          idempotencyKey: body.idempotency_key ?? null,
          workPoolName: body.work_pool_name ?? null,
          workQueueName: body.work_queue_name ?? null,
          jobVariables: body.job_variables === undefined ? {} : body.job_variables,
          deploymentId: body.deployment_id ?? null,
          state,
          createdBy: automationCreator(request),
        },
        orchestrationParams(request),
      );
      void reply.code(created ? 201 : 200);
      return flowRunResponse(run);
    } catch (error) {
      if (error instanceof WorkPoolNotFoundError || error instanceof WorkQueueNotFoundError) {
        throw PrefectHttpError.notFound(error.message);
      }
      throw error;
    }
  }

  @ApiFilterBody(FLOW_RUN_BODY, 'list')
  @ApiWireResponse(wire.array(FLOW_RUN))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const runs = await this.runs.list(parseListBody(FLOW_RUN_BODY, body, this.options.defaultLimit));
    const now = Instant.now();
    return runs.map((run) => flowRunResponse(run, now));
  }

  @ApiFilterBody(FLOW_RUN_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.runs.count(parseFilterCriteria(FLOW_RUN_BODY, body));
  }

  @ApiFilterBody(FLOW_RUN_BODY, 'paginate')
  @ApiWireResponse(FLOW_RUN_PAGE)
  @Post('paginate')
  @HttpCode(200)
  async paginate(@Body() body: unknown): Promise<object> {
    const request = parsePaginateBody(FLOW_RUN_BODY, body, this.options.defaultLimit);
    const [runs, count] = await Promise.all([this.runs.list(request), this.runs.count(request)]);
    const now = Instant.now();
    return paginated(
      runs.map((run) => flowRunResponse(run, now)),
      count,
      request,
    );
  }

  @ApiFilterBody(BULK_BODY, 'bulk')
  @ApiWireResponse(FLOW_RUN_BULK_DELETE)
  @Post('bulk_delete')
  @HttpCode(200)
  async bulkDelete(@Body() body: unknown): Promise<{ deleted: string[] }> {
    const { limit, ...criteria } = parseBulkBody(BULK_BODY, body);
    return { deleted: await this.runs.deleteMatching(criteria, limit) };
  }

  /** Each matching run in its own transaction; failures become ABORT entries. */
  @ApiFilterBody(BULK_BODY, 'bulk', {
    state: { description: 'StateCreate, read by stateCreateFromBody' },
    force: { type: 'boolean', default: false },
  })
  @ApiWireResponse(FLOW_RUN_BULK_SET_STATE)
  @Post('bulk_set_state')
  @HttpCode(200)
  async bulkSetState(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<WireOf<typeof FLOW_RUN_BULK_SET_STATE>> {
    const { limit, ...criteria } = parseBulkBody(BULK_BODY, body);
    const raw = (body ?? {}) as Record<string, unknown>;
    const proposed = stateCreateFromBody(raw['state'], ['body', 'state']);
    const force = raw['force'] ?? false;
    if (typeof force !== 'boolean') {
      throw new RequestValidationError([
        { type: 'bool_type', loc: ['body', 'force'], msg: 'Input should be a valid boolean', input: force },
      ]);
    }
    const ids = await this.runs.matchingIds(criteria, limit);
    const outcomes = await this.states.setStates(ids, proposed, {
      force,
      params: orchestrationParams(request),
    });
    return {
      results: outcomes.map(({ flowRunId, result }) => ({
        flow_run_id: flowRunId,
        ...orchestrationResultResponse(result),
      })),
    };
  }

  @ApiWireResponse(FLOW_RUN)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const run = await this.runs.get(id);
    if (run === null) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
    return flowRunResponse(run);
  }

  /** Only the keys present are written; `job_variables` only on a SCHEDULED deployment run. */
  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: FlowRunUpdateDto): Promise<void> {
    const update: FlowRunUpdate = {};
    if (body.name != null) update.name = body.name;
    if (body.flow_version !== undefined) update.flowVersion = body.flow_version;
    if (body.parameters !== undefined) {
      checkParameterSize(body.parameters, this.options.maxParameterSize, 'Flow run');
      update.parameters = body.parameters;
    }
    if (body.empirical_policy !== undefined) {
      update.empiricalPolicy = flowRunPolicyToWire(readPolicy(body.empirical_policy));
    }
    if (body.tags !== undefined) update.tags = body.tags;
    if (body.infrastructure_pid !== undefined) update.infrastructurePid = body.infrastructure_pid;
    if (body.job_variables != null) {
      const run = await this.runs.get(id);
      if (run === null) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
      if (run.stateType === null) {
        throw new PrefectHttpError(400, 'Flow run state is required to update job variables but none exists');
      }
      if (run.stateType !== 'SCHEDULED') {
        throw new PrefectHttpError(
          400,
          `Job variables for a flow run in state ${run.stateType} cannot be updated`,
        );
      }
      if (run.deploymentId === null || !(await this.runs.deploymentExists(run.deploymentId))) {
        throw new PrefectHttpError(400, 'A deployment for the flow run could not be found');
      }
      // Validation against the work pool's base job template arrives with the work-pools issue.
      update.jobVariables = body.job_variables;
    }
    if (!(await this.runs.update(id, update))) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.runs.delete(id))) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
  }

  /** 201 when a new state row was written, 200 otherwise (spec-api §1.3, §3.3). */
  @ApiWireResponse(ORCHESTRATION_RESULT, STATE_WRITTEN_OR_NOT)
  @Post(':id/set_state')
  async setState(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SetStateBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const proposed = stateCreateFromBody(body.state, ['body', 'state']);
    const result = await this.states.setState(id, proposed, {
      force: body.force ?? false,
      params: orchestrationParams(request),
    });
    void reply.code(result.newState !== null ? 201 : 200);
    return orchestrationResultResponse(result);
  }

  @ApiWireResponse(ORCHESTRATION_RESULT, STATE_WRITTEN_OR_NOT)
  @Post(':id/resume')
  async resume(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ResumeBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const outcome = await this.resumer.resume(id, body.run_input ?? null, orchestrationParams(request));
    if (outcome === null) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
    void reply.code(outcome.created ? 201 : 200);
    return {
      ...orchestrationResultResponse({ ...outcome, state: null }),
      state: stateResponseOrNull(outcome.state),
    };
  }

  /** The body is a bare label object, shallow-merged into the run's labels. */
  @ApiBody({ schema: wire.labels().schema as never })
  @HttpCode(204)
  @Patch(':id/labels')
  async updateLabels(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object | undefined> {
    if (!isLabels(body)) {
      throw new RequestValidationError([
        { type: 'dict_type', loc: ['body'], msg: 'Input should be a valid dictionary', input: body ?? null },
      ]);
    }
    if (!(await this.runs.mergeLabels(id, body))) {
      throw new OrchestrationObjectNotFoundError(`Flow run with id ${id} not found`);
    }
    void reply.code(204);
    return undefined;
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
        msg: String((error as Error).message),
        input: wire ?? null,
      },
    ]);
  }
}

/**
 * `created_by` of runs an automation creates through the API: the `Prefect-Automation-Id` and
 * base64 `Prefect-Automation-Name` headers, both needed (spec-api §8.2).
 */
function automationCreator(
  request: FastifyRequest,
): { id: string; type: string; display_value: string } | null {
  const id = request.headers['prefect-automation-id'];
  const name = request.headers['prefect-automation-name'];
  if (typeof id !== 'string' || typeof name !== 'string' || !isUuid(id)) return null;
  const displayValue = Buffer.from(name, 'base64').toString('utf8');
  return displayValue === ''
    ? null
    : { id: id.toLowerCase(), type: 'AUTOMATION', display_value: displayValue };
}

function isLabels(value: unknown): value is Labels {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value as object).every((v) => ['string', 'number', 'boolean'].includes(typeof v))
  );
}
