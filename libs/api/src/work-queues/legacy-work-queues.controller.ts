import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import {
  DEFAULT_AGENT_WORK_POOL_NAME,
  type WorkQueueRecord,
  WorkPoolRepository,
  WorkQueueConcurrencyRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { WORK_QUEUE_BODY } from '../filters/filter-bodies';
import { parseLimit, parseListBody } from '../filters/list-body.parser';
import { FLOW_RUN, flowRunResponse } from '../flow-runs/flow-run.serializer';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  ConcurrencyStatusBodyDto,
  pageCount,
  slotHolderResponse,
} from '../work-pools/concurrency-status.dto';
import { ScheduledRunsBodyDto } from '../work-pools/scheduled-runs-body.dto';
import { WorkPoolsService } from '@orrery/work-pools';
import {
  WORK_QUEUE,
  WORK_QUEUE_CONCURRENCY_STATUS,
  WORK_QUEUE_STATUS_DETAIL,
  WorkQueueCreateDto,
  workQueueResponse,
  WorkQueueUpdateDto,
} from './work-queue.dto';
import { queueChanges, queueCreateInput } from './work-queue-changes';
import { WorkQueuesService } from '@orrery/work-pools';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire, type WireOf } from '../openapi/wire-schema';

const WORK_QUEUE_NOT_FOUND = 'work queue not found';
/** Upstream formats the PATCH 404 with Python's builtin `id`, so that is what clients see. */
const WORK_QUEUE_NOT_FOUND_ON_PATCH = 'Work Queue <built-in function id> not found';

/** How long since its last poll a legacy queue stays healthy (WorkQueueHealthPolicy defaults). */
const HEALTH_POLICY = { maximum_late_runs: 0, maximum_seconds_since_last_polled: 60 } as const;

/**
 * Legacy `/api/work_queues` (spec-api-orchestration §7.4): queues addressed by id, or by name in
 * `default-agent-pool`; active slots also count CANCELLING runs here.
 */
@Controller('work_queues')
export class LegacyWorkQueuesController {
  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly queues: WorkQueueRepository,
    private readonly writes: WorkQueuesService,
    private readonly polls: WorkPoolsService,
    private readonly slots: WorkQueueConcurrencyRepository,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(WORK_QUEUE, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: WorkQueueCreateDto): Promise<object> {
    const outcome = await this.writes.createLegacy(queueCreateInput(body));
    if (!('queue' in outcome)) throw PrefectHttpError.conflict('A work queue with this name already exists.');
    return workQueueResponse((await this.queues.getById(outcome.queue.id, 'legacy')) ?? outcome.queue);
  }

  @ApiFilterBody(WORK_QUEUE_BODY, 'list')
  @ApiWireResponse(wire.array(WORK_QUEUE))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(WORK_QUEUE_BODY, body, this.options.defaultLimit);
    return (await this.queues.listLegacy(request)).map(workQueueResponse);
  }

  @ApiWireResponse(WORK_QUEUE)
  @Get('name/:name')
  async readByName(@Param('name') name: string): Promise<object> {
    const pool = await this.pools.getByName(DEFAULT_AGENT_WORK_POOL_NAME);
    const queue = pool === null ? null : await this.queues.getInPool(pool.id, name, 'legacy');
    if (queue === null) throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND);
    return workQueueResponse(queue);
  }

  @ApiWireResponse(WORK_QUEUE)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    return workQueueResponse(await this.find(id));
  }

  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: WorkQueueUpdateDto): Promise<void> {
    const queue = await this.queues.getById(id, 'legacy');
    if (queue === null || !(await this.writes.update(queue, queueChanges(body))))
      throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND_ON_PATCH);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    const queue = await this.find(id);
    const pool = await this.pools.getById(queue.workPoolId);
    if (pool === null) throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND);
    const outcome = await this.writes.delete(queue, pool);
    if (outcome === 'default-queue') throw new PrefectHttpError(400, "Can't delete a pool's default queue.");
    if (outcome === 'missing') throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND);
  }

  /** Legacy agents' poll: FlowRunResponse[] of this queue, which (and its deployments) is marked polled. */
  @ApiWireResponse(wire.array(FLOW_RUN))
  @Post(':id/get_runs')
  @HttpCode(200)
  async getRuns(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ScheduledRunsBodyDto,
    @Headers('x-prefect-ui') prefectUi?: string,
  ): Promise<object[]> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    const queue = await this.find(id);
    const pool = await this.pools.getById(queue.workPoolId);
    if (pool === null) throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND);
    const runs = await this.polls.pollQueues(pool, [queue], {
      scheduledBefore: body.scheduled_before == null ? null : Instant.parse(body.scheduled_before),
      scheduledAfter: null,
      limit,
      legacy: true,
      recordPoll: prefectUi?.toLowerCase() !== 'true',
    });
    const now = Instant.now();
    return runs.map((run) => flowRunResponse(run.flowRun, now));
  }

  /** Healthy = no Late runs and polled within the last 60 s. */
  @ApiWireResponse(WORK_QUEUE_STATUS_DETAIL)
  @Get(':id/status')
  async status(@Param('id', UuidParamPipe) id: string): Promise<WireOf<typeof WORK_QUEUE_STATUS_DETAIL>> {
    const queue = await this.find(id);
    const lateRuns = await this.queues.lateRunsCount(queue.id);
    const polledRecently =
      queue.lastPolled !== null &&
      Instant.now().secondsSince(queue.lastPolled) <= HEALTH_POLICY.maximum_seconds_since_last_polled;
    return {
      healthy: lateRuns <= HEALTH_POLICY.maximum_late_runs && polledRecently,
      late_runs_count: lateRuns,
      last_polled: queue.lastPolled?.toISOString() ?? null,
      health_check_policy: HEALTH_POLICY,
    };
  }

  /** A page of the queue's slot holders (PENDING, RUNNING and CANCELLING runs). */
  @ApiWireResponse(WORK_QUEUE_CONCURRENCY_STATUS)
  @Post(':id/concurrency_status')
  @HttpCode(200)
  async concurrencyStatus(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ConcurrencyStatusBodyDto,
  ): Promise<WireOf<typeof WORK_QUEUE_CONCURRENCY_STATUS>> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    const page = body.page ?? 1;
    const queue = await this.find(id);
    const count = (await this.slots.counts([queue.id], 'legacy')).get(queue.id) ?? 0;
    const holders = await this.slots.pageOfQueue(queue.id, 'legacy', limit, (page - 1) * limit);
    const now = Instant.now();
    return {
      active_slots: count,
      concurrency_limit: queue.concurrencyLimit,
      flow_runs: holders.map((h) => slotHolderResponse(h, now)),
      count,
      limit,
      pages: pageCount(count, limit),
      page,
    };
  }

  private async find(id: string): Promise<WorkQueueRecord> {
    const queue = await this.queues.getById(id, 'legacy');
    if (queue === null) throw PrefectHttpError.notFound(WORK_QUEUE_NOT_FOUND);
    return queue;
  }
}
