import { Controller, Get, Param } from '@nestjs/common';
import { WorkQueueRepository } from '@orrery/persistence';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { WORK_QUEUE, workQueueResponse } from './work-queue.dto';

/**
 * `GET /api/deployments/{id}/work_queue_check` (deprecated upstream): the work queues whose legacy
 * filter would pick up the deployment, for the UI's "no queue will run this" warning.
 */
@Controller('deployments')
export class DeploymentWorkQueueCheckController {
  constructor(private readonly queues: WorkQueueRepository) {}

  @ApiWireResponse(wire.array(WORK_QUEUE))
  @Get(':id/work_queue_check')
  async check(@Param('id', UuidParamPipe) id: string): Promise<object[]> {
    const queues = await this.queues.forDeployment(id);
    if (queues === null) throw PrefectHttpError.notFound('Deployment not found');
    return queues.map(workQueueResponse);
  }
}
