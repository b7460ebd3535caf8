import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import {
  type WorkPoolChanges,
  WorkPoolRepository,
  WorkQueueConcurrencyRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { WORK_POOL_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria, parseLimit, parseListBody } from '../filters/list-body.parser';
import { FLOW_RUN, flowRunResponse } from '../flow-runs/flow-run.serializer';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  ConcurrencyStatusBodyDto,
  FLOW_RUN_SLOT_SUMMARY,
  pageCount,
  slotHolderResponse,
} from './concurrency-status.dto';
import { JobVariableDefaultsValidator } from './job-variable-defaults.validator';
import { PollQueueNotFoundError, WorkPoolsService } from '@orrery/work-pools';
import { ScheduledRunsBodyDto } from './scheduled-runs-body.dto';
import {
  isLegacyStorageClient,
  WORK_POOL,
  WorkPoolCreateDto,
  workPoolResponse,
  WorkPoolUpdateDto,
} from './work-pool.dto';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** The core FlowRun: a FlowRunResponse without the pool's id and name, which the item carries. */
const { work_pool_id: _poolId, work_pool_name: _poolName, ...CORE_FLOW_RUN } = FLOW_RUN.properties;

/** One run of the worker poll, with the pool and queue it was taken from. */
const WORKER_FLOW_RUN = wireModel('WorkerFlowRunResponse', {
  work_pool_id: wire.uuid(),
  work_queue_id: wire.uuid(),
  flow_run: wireModel('FlowRun', CORE_FLOW_RUN),
});

/** A page of the pool's queues (by priority), each with its first slot holders. */
const WORK_POOL_CONCURRENCY_STATUS = wireModel('WorkPoolConcurrencyStatus', {
  active_slots: wire.integer(),
  concurrency_limit: wire.nullable(wire.integer()),
  queues: wire.array(
    wireModel('WorkQueueConcurrencyStatusDetail', {
      queue_id: wire.uuid(),
      queue_name: wire.string(),
      active_slots: wire.integer(),
      concurrency_limit: wire.nullable(wire.integer()),
      flow_runs: wire.array(FLOW_RUN_SLOT_SUMMARY),
      flow_run_count: wire.integer(),
    }),
  ),
  count: wire.integer(),
  limit: wire.integer(),
  pages: wire.integer(),
  page: wire.integer(),
});

/** `Work pool "x" not found.` — the 404 workers read as "create it". */
export function workPoolNotFound(name: string): PrefectHttpError {
  return PrefectHttpError.notFound(`Work pool "${name}" not found.`);
}

/** Pools whose name starts with "prefect" (any case) are reserved for Prefect itself. */
function isReserved(name: string): boolean {
  return name.toLowerCase().startsWith('prefect');
}

/** `/api/work_pools` (spec-api-orchestration §7.4): pools and the worker poll. */
@Controller('work_pools')
export class WorkPoolsController {
  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly writes: WorkPoolsService,
    private readonly queues: WorkQueueRepository,
    private readonly slots: WorkQueueConcurrencyRepository,
    private readonly defaults: JobVariableDefaultsValidator,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(WORK_POOL, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: WorkPoolCreateDto, @Headers('user-agent') userAgent?: string): Promise<object> {
    if (isReserved(body.name))
      throw new PrefectHttpError(403, "Work pools starting with 'Prefect' are reserved for internal use.");
    await this.defaults.check(body.base_job_template);
    const created = await this.writes.create({
      name: body.name,
      description: body.description,
      type: body.type,
      baseJobTemplate: body.base_job_template,
      isPaused: body.is_paused,
      concurrencyLimit: body.concurrency_limit,
      storageConfiguration: body.storage_configuration,
    });
    if (created === null) throw PrefectHttpError.conflict('A work pool with this name already exists.');
    return workPoolResponse(created, isLegacyStorageClient(userAgent));
  }

  @ApiFilterBody(WORK_POOL_BODY, 'list')
  @ApiWireResponse(wire.array(WORK_POOL))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown, @Headers('user-agent') userAgent?: string): Promise<object[]> {
    const request = parseListBody(WORK_POOL_BODY, body, this.options.defaultLimit);
    const legacy = isLegacyStorageClient(userAgent);
    return (await this.pools.list(request)).map((pool) => workPoolResponse(pool, legacy));
  }

  @ApiFilterBody(WORK_POOL_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.pools.count(parseFilterCriteria(WORK_POOL_BODY, body));
  }

  @ApiWireResponse(WORK_POOL)
  @Get(':name')
  async read(@Param('name') name: string, @Headers('user-agent') userAgent?: string): Promise<object> {
    const pool = await this.pools.getByName(name);
    if (pool === null) throw workPoolNotFound(name);
    return workPoolResponse(pool, isLegacyStorageClient(userAgent));
  }

  @Patch(':name')
  @HttpCode(204)
  async update(@Param('name') name: string, @Body() body: WorkPoolUpdateDto): Promise<void> {
    const changes: WorkPoolChanges = {
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.is_paused != null ? { isPaused: body.is_paused } : {}),
      ...(body.base_job_template != null ? { baseJobTemplate: body.base_job_template } : {}),
      ...(body.concurrency_limit !== undefined ? { concurrencyLimit: body.concurrency_limit } : {}),
      ...(body.storage_configuration != null ? { storageConfiguration: body.storage_configuration } : {}),
    };
    const reservedOnly = Object.keys(changes).every(
      (key) => key === 'isPaused' || key === 'concurrencyLimit',
    );
    if (isReserved(name) && !reservedOnly)
      throw new PrefectHttpError(
        403,
        "Work pools starting with 'Prefect' are reserved for internal use and can only be updated to set concurrency limits or pause.",
      );
    if (changes.baseJobTemplate !== undefined) await this.defaults.check(changes.baseJobTemplate);
    if (!(await this.writes.update(name, changes))) throw workPoolNotFound(name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    if (isReserved(name))
      throw new PrefectHttpError(
        403,
        "Work pools starting with 'Prefect' are reserved for internal use and can not be deleted.",
      );
    if (!(await this.writes.delete(name))) throw workPoolNotFound(name);
  }

  /** The worker poll (§6.3): `WorkerFlowRunResponse[]`, whose `flow_run` is the core FlowRun. */
  @ApiWireResponse(wire.array(WORKER_FLOW_RUN))
  @Post(':name/get_scheduled_flow_runs')
  @HttpCode(200)
  async getScheduledFlowRuns(
    @Param('name') name: string,
    @Body() body: ScheduledRunsBodyDto,
  ): Promise<WireOf<typeof WORKER_FLOW_RUN>[]> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    const pool = await this.pools.getByName(name);
    if (pool === null) throw workPoolNotFound(name);
    try {
      const runs = await this.writes.poll(pool, {
        workQueueNames: body.work_queue_names ?? null,
        scheduledBefore: body.scheduled_before == null ? null : Instant.parse(body.scheduled_before),
        scheduledAfter: body.scheduled_after == null ? null : Instant.parse(body.scheduled_after),
        limit,
      });
      const now = Instant.now();
      return runs.map((run) => {
        const {
          work_pool_id: _poolId,
          work_pool_name: _poolName,
          ...flowRun
        } = flowRunResponse(run.flowRun, now);
        return { work_pool_id: run.workPoolId, work_queue_id: run.workQueueId, flow_run: flowRun };
      });
    } catch (error) {
      if (error instanceof PollQueueNotFoundError) throw PrefectHttpError.notFound(error.message);
      throw error;
    }
  }

  /**
   * Who holds the pool's slots: its PENDING/RUNNING runs, and per queue (a page of queues by
   * priority) the first `flow_run_limit` of them with each queue's total.
   */
  @ApiWireResponse(WORK_POOL_CONCURRENCY_STATUS)
  @Post(':name/concurrency_status')
  @HttpCode(200)
  async concurrencyStatus(
    @Param('name') name: string,
    @Body() body: ConcurrencyStatusBodyDto,
  ): Promise<WireOf<typeof WORK_POOL_CONCURRENCY_STATUS>> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    const page = body.page ?? 1;
    const pool = await this.pools.getByName(name);
    // This route names the pool with Python's repr, unlike the others.
    if (pool === null) throw PrefectHttpError.notFound(`Work pool '${name}' not found.`);
    const all = await this.queues.listInPool(pool.id, { limit: 10_000, offset: 0 });
    const counts = await this.slots.counts(
      all.map((q) => q.id),
      'pool',
    );
    const shown = all.slice((page - 1) * limit, page * limit);
    const holders = await this.slots.firstPerQueue(
      shown.map((q) => q.id),
      body.flow_run_limit ?? 10,
    );
    const now = Instant.now();
    return {
      active_slots: [...counts.values()].reduce((sum, n) => sum + n, 0),
      concurrency_limit: pool.concurrencyLimit,
      queues: shown.map((queue) => ({
        queue_id: queue.id,
        queue_name: queue.name,
        active_slots: counts.get(queue.id) ?? 0,
        concurrency_limit: queue.concurrencyLimit,
        flow_runs: holders.filter((h) => h.workQueueId === queue.id).map((h) => slotHolderResponse(h, now)),
        flow_run_count: counts.get(queue.id) ?? 0,
      })),
      count: all.length,
      limit,
      pages: pageCount(all.length, limit),
      page,
    };
  }
}
