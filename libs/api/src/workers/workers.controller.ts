import { Body, Controller, Delete, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { type WorkerRecord, WorkerRepository, WorkPoolRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { WORKER_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { workPoolNotFound } from '../work-pools/work-pools.controller';
import { WorkPoolsService } from '@orrery/work-pools';
import { WorkerHeartbeatDto } from './worker-heartbeat.dto';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';

const WORKER = wireModel('WorkerResponse', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  work_pool_id: wire.uuid(),
  last_heartbeat_time: wire.dateTime(),
  heartbeat_interval_seconds: wire.nullable(wire.integer()),
  status: wire.enum(['ONLINE', 'OFFLINE'] as const),
});

/** `WorkerResponse` on the wire. */
function workerResponse(worker: WorkerRecord): WireOf<typeof WORKER> {
  return {
    id: worker.id,
    created: worker.created.toISOString(),
    updated: worker.updated.toISOString(),
    name: worker.name,
    work_pool_id: worker.workPoolId,
    last_heartbeat_time: worker.lastHeartbeatTime.toISOString(),
    heartbeat_interval_seconds: worker.heartbeatIntervalSeconds,
    status: worker.status,
  };
}

/**
 * `/api/work_pools/{pool}/workers` (spec-api-orchestration §6.2, §7.4). The websocket
 * `…/workers/connect` is deliberately not served: the upgrade router answers 404, which makes
 * workers fall back to REST heartbeats for good.
 */
@Controller('work_pools/:pool/workers')
export class WorkersController {
  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly workers: WorkerRepository,
    private readonly writes: WorkPoolsService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @Post('heartbeat')
  @HttpCode(204)
  async heartbeat(@Param('pool') pool: string, @Body() body: WorkerHeartbeatDto): Promise<void> {
    if (!(await this.writes.heartbeat(pool, body.name, body.heartbeat_interval_seconds)))
      throw workPoolNotFound(pool);
  }

  @ApiFilterBody(WORKER_BODY, 'list')
  @ApiWireResponse(wire.array(WORKER))
  @Post('filter')
  @HttpCode(200)
  async filter(@Param('pool') poolName: string, @Body() body: unknown): Promise<object[]> {
    const request = parseListBody(WORKER_BODY, body, this.options.defaultLimit);
    const pool = await this.pools.getByName(poolName);
    if (pool === null) throw workPoolNotFound(poolName);
    return (await this.workers.list(pool.id, request)).map(workerResponse);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('pool') poolName: string, @Param('name') name: string): Promise<void> {
    const pool = await this.pools.getByName(poolName);
    if (pool === null) throw workPoolNotFound(poolName);
    if (!(await this.workers.delete(pool.id, name))) throw PrefectHttpError.notFound('Worker not found.');
  }
}
