import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RunHistoryRepository } from '@orrery/persistence';
import { FLOW_RUN_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria } from '../filters/list-body.parser';
import { FLOW_RUN_HISTORY_FILTERS, parseFlowRunHistoryBody } from './history-body.parser';
import { HISTORY, HISTORY_WINDOW_FIELDS, historyResponse } from './history.response';
import { ApiEmbeddedBody, ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

/** `POST /api/flow_runs/history` and `/lateness`: the dashboard's flow-run aggregates. */
@Controller('flow_runs')
export class FlowRunHistoryController {
  constructor(private readonly history: RunHistoryRepository) {}

  @ApiEmbeddedBody(FLOW_RUN_HISTORY_FILTERS, HISTORY_WINDOW_FIELDS, Object.keys(HISTORY_WINDOW_FIELDS))
  @ApiWireResponse(wire.array(HISTORY))
  @Post('history')
  @HttpCode(200)
  async flowRunHistory(@Body() body: unknown): Promise<object[]> {
    const { criteria, window } = parseFlowRunHistoryBody(body);
    return (await this.history.flowRunHistory(criteria, window)).map(historyResponse);
  }

  /** A bare float (seconds) or `null` when no run matches. */
  @ApiFilterBody(FLOW_RUN_BODY, 'criteria')
  @ApiWireResponse(wire.nullable(wire.number()))
  @Post('lateness')
  @HttpCode(200)
  lateness(@Body() body: unknown): Promise<number | null> {
    return this.history.averageFlowRunLateness(parseFilterCriteria(FLOW_RUN_BODY, body));
  }
}
