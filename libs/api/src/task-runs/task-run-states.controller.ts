import { Controller, Get, Param, Query } from '@nestjs/common';
import { RunStateRepository } from '@orrery/persistence';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { STATE, stateResponse } from '../states/state.serializer';
import { uuidQuery } from '../states/uuid-query';
import { ApiQuery } from '@nestjs/swagger';

/** `/api/task_run_states` (spec-api §7.1): a task run's states, oldest first, and one state by id. */
@Controller('task_run_states')
export class TaskRunStatesController {
  constructor(private readonly states: RunStateRepository) {}

  @ApiQuery({ name: 'task_run_id', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiWireResponse(wire.array(STATE))
  @Get()
  async list(@Query('task_run_id') taskRunId: unknown): Promise<object[]> {
    return (await this.states.taskRunStates(uuidQuery('task_run_id', taskRunId))).map(stateResponse);
  }

  @ApiWireResponse(STATE)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const state = await this.states.taskRunState(id);
    if (state === null) throw PrefectHttpError.notFound('Task run state not found');
    return stateResponse(state);
  }
}
