import { Controller, Get, Param, Query } from '@nestjs/common';
import { RunStateRepository } from '@orrery/persistence';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { STATE, stateResponse } from '../states/state.serializer';
import { uuidQuery } from '../states/uuid-query';
import { ApiQuery } from '@nestjs/swagger';

/** `/api/flow_run_states` (spec-api §7.1): a flow run's states, oldest first, and one state by id. */
@Controller('flow_run_states')
export class FlowRunStatesController {
  constructor(private readonly states: RunStateRepository) {}

  @ApiQuery({ name: 'flow_run_id', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiWireResponse(wire.array(STATE))
  @Get()
  async list(@Query('flow_run_id') flowRunId: unknown): Promise<object[]> {
    return (await this.states.flowRunStates(uuidQuery('flow_run_id', flowRunId))).map(stateResponse);
  }

  @ApiWireResponse(STATE)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const state = await this.states.flowRunState(id);
    if (state === null) throw PrefectHttpError.notFound('Flow run state not found');
    return stateResponse(state);
  }
}
