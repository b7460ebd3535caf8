import { Controller, Get, Param } from '@nestjs/common';
import { TaskRunRepository } from '@orrery/persistence';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { ApiWireResponse, type WireOf } from '../openapi/wire-schema';
import { taskRunResponse, UI_TASK_RUN } from './task-run.serializer';

/** `GET /api/ui/task_runs/{id}`: a TaskRun plus its flow run's name (one statement). */
@Controller('ui/task_runs')
export class UiTaskRunController {
  constructor(private readonly runs: TaskRunRepository) {}

  @ApiWireResponse(UI_TASK_RUN)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<WireOf<typeof UI_TASK_RUN>> {
    const found = await this.runs.getWithFlowRunName(id);
    if (found === null) throw PrefectHttpError.notFound('Task not found');
    return { ...taskRunResponse(found.run), flow_run_name: found.flowRunName };
  }
}
