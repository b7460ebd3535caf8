import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { type WorkQueueRecord, WorkPoolRepository, WorkQueueRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { WORK_QUEUE_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { workPoolNotFound } from '../work-pools/work-pools.controller';
import { WORK_QUEUE, WorkQueueCreateDto, workQueueResponse, WorkQueueUpdateDto } from './work-queue.dto';
import { queueChanges, queueCreateInput } from './work-queue-changes';
import { WorkQueuesService } from '@orrery/work-pools';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

/** `/api/work_pools/{pool}/queues` (spec-api-orchestration §7.4); queues by priority. */
@Controller('work_pools/:pool/queues')
export class WorkPoolQueuesController {
  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly queues: WorkQueueRepository,
    private readonly writes: WorkQueuesService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(WORK_QUEUE, 201)
  @Post()
  @HttpCode(201)
  async create(@Param('pool') pool: string, @Body() body: WorkQueueCreateDto): Promise<object> {
    const outcome = await this.writes.createInPool(pool, queueCreateInput(body));
    if ('missingPool' in outcome) throw workPoolNotFound(pool);
    // Upstream's message is a plain string, so its placeholder reaches the client verbatim.
    if ('conflict' in outcome)
      throw PrefectHttpError.conflict(
        'A work queue with this name already exists in work pool {work_pool_name!r}.',
      );
    return workQueueResponse(outcome.queue);
  }

  @ApiFilterBody(WORK_QUEUE_BODY, 'list')
  @ApiWireResponse(wire.array(WORK_QUEUE))
  @Post('filter')
  @HttpCode(200)
  async filter(@Param('pool') poolName: string, @Body() body: unknown): Promise<object[]> {
    const request = parseListBody(WORK_QUEUE_BODY, body, this.options.defaultLimit);
    const pool = await this.pools.getByName(poolName);
    if (pool === null) throw workPoolNotFound(poolName);
    return (await this.queues.listInPool(pool.id, request)).map(workQueueResponse);
  }

  @ApiWireResponse(WORK_QUEUE)
  @Get(':name')
  async read(@Param('pool') pool: string, @Param('name') name: string): Promise<object> {
    return workQueueResponse(await this.find(pool, name));
  }

  @Patch(':name')
  @HttpCode(204)
  async update(
    @Param('pool') pool: string,
    @Param('name') name: string,
    @Body() body: WorkQueueUpdateDto,
  ): Promise<void> {
    const queue = await this.find(pool, name);
    if (!(await this.writes.update(queue, queueChanges(body)))) throw queueNotFound(pool, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('pool') poolName: string, @Param('name') name: string): Promise<void> {
    const pool = await this.pools.getByName(poolName);
    if (pool === null) throw workPoolNotFound(poolName);
    const queue = await this.queues.getInPool(pool.id, name);
    if (queue === null) throw queueNotFound(poolName, name);
    const outcome = await this.writes.delete(queue, pool);
    if (outcome === 'default-queue') throw new PrefectHttpError(400, "Can't delete a pool's default queue.");
    if (outcome === 'missing') throw queueNotFound(poolName, name);
  }

  private async find(poolName: string, name: string): Promise<WorkQueueRecord> {
    const pool = await this.pools.getByName(poolName);
    if (pool === null) throw workPoolNotFound(poolName);
    const queue = await this.queues.getInPool(pool.id, name);
    if (queue === null) throw queueNotFound(poolName, name);
    return queue;
  }
}

function queueNotFound(pool: string, name: string): PrefectHttpError {
  return PrefectHttpError.notFound(`Work pool queue '${pool}/${name}' not found.`);
}
