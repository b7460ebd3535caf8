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
import { Instant, paginated, taskRunPolicyFromWire, taskRunPolicyToWire } from '@orrery/domain';
import { TaskRunRepository } from '@orrery/persistence';
import { TaskRunCreator, TaskRunStateService } from '@orrery/runs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { TASK_RUN_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria, parseListBody, parsePaginateBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { orchestrationParams } from '../states/orchestration-http';
import { SetStateBodyDto } from '../states/set-state-body.dto';
import { stateCreateFromBody } from '../states/state-create.parser';
import { ORCHESTRATION_RESULT, orchestrationResultResponse } from '../states/state.serializer';
import { TaskRunCreateDto, TaskRunUpdateDto } from './task-run.dto';
import { TASK_RUN, TASK_RUN_PAGE, taskRunResponse } from './task-run.serializer';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, CREATED_OR_EXISTING, STATE_WRITTEN_OR_NOT, wire } from '../openapi/wire-schema';

const TASK_RUN_NOT_FOUND = 'Task not found';

/** `/api/task_runs` (spec-api §7.2). */
@Controller('task_runs')
export class TaskRunsController {
  constructor(
    private readonly runs: TaskRunRepository,
    private readonly creator: TaskRunCreator,
    private readonly states: TaskRunStateService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 with the new run; 200 with the existing run of the same `(flow_run_id, task_key, dynamic_key)`. */
  @ApiWireResponse(TASK_RUN, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: TaskRunCreateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const state = body.state == null ? null : stateCreateFromBody(body.state, ['body', 'state']);
    const { run, created } = await this.creator.create(
      {
        id: body.id ?? null,
        name: body.name ?? null,
        flowRunId: body.flow_run_id ?? null,
        taskKey: body.task_key,
        dynamicKey: body.dynamic_key,
        cacheKey: body.cache_key ?? null,
        cacheExpiration: readInstant(body.cache_expiration, 'cache_expiration'),
        taskVersion: body.task_version ?? null,
        empiricalPolicy: taskRunPolicyToWire(readPolicy(body.empirical_policy)),
        tags: body.tags ?? [],
        labels: body.labels ?? null,
        taskInputs: body.task_inputs ?? {},
        state,
      },
      orchestrationParams(request),
    );
    void reply.code(created ? 201 : 200);
    return taskRunResponse(run);
  }

  @ApiFilterBody(TASK_RUN_BODY, 'list')
  @ApiWireResponse(wire.array(TASK_RUN))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const runs = await this.runs.list(parseListBody(TASK_RUN_BODY, body, this.options.defaultLimit));
    const now = Instant.now();
    return runs.map((run) => taskRunResponse(run, now));
  }

  @ApiFilterBody(TASK_RUN_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.runs.count(parseFilterCriteria(TASK_RUN_BODY, body));
  }

  @ApiFilterBody(TASK_RUN_BODY, 'paginate')
  @ApiWireResponse(TASK_RUN_PAGE)
  @Post('paginate')
  @HttpCode(200)
  async paginate(@Body() body: unknown): Promise<object> {
    const request = parsePaginateBody(TASK_RUN_BODY, body, this.options.defaultLimit);
    const [runs, count] = await Promise.all([this.runs.list(request), this.runs.count(request)]);
    const now = Instant.now();
    return paginated(
      runs.map((run) => taskRunResponse(run, now)),
      count,
      request,
    );
  }

  @ApiWireResponse(TASK_RUN)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const run = await this.runs.get(id);
    if (run === null) throw PrefectHttpError.notFound(TASK_RUN_NOT_FOUND);
    return taskRunResponse(run);
  }

  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: TaskRunUpdateDto): Promise<void> {
    if (!(await this.runs.update(id, { ...(body.name === undefined ? {} : { name: body.name }) }))) {
      throw PrefectHttpError.notFound('Task run not found');
    }
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.runs.delete(id))) throw PrefectHttpError.notFound(TASK_RUN_NOT_FOUND);
  }

  /** 201 when a new state row was written, 200 otherwise. */
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
}

function readInstant(value: string | null | undefined, field: string): Instant | null {
  if (value == null) return null;
  const instant = Instant.tryParse(value);
  if (instant === null) {
    throw new RequestValidationError([
      {
        type: 'datetime_from_date_parsing',
        loc: ['body', field],
        msg: 'Input should be a valid datetime',
        input: value,
      },
    ]);
  }
  return instant;
}

function readPolicy(wire: Record<string, unknown> | undefined): ReturnType<typeof taskRunPolicyFromWire> {
  try {
    return taskRunPolicyFromWire(wire ?? {});
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
