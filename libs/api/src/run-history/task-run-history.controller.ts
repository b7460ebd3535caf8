import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RunHistoryRepository } from '@orrery/persistence';
import { parseTaskRunHistoryBody, TASK_RUN_HISTORY_FILTERS } from './history-body.parser';
import { HISTORY, HISTORY_WINDOW_FIELDS, historyResponse } from './history.response';
import { ApiEmbeddedBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

/** `POST /api/task_runs/history`. */
@Controller('task_runs')
export class TaskRunHistoryController {
  constructor(private readonly history: RunHistoryRepository) {}

  @ApiEmbeddedBody(TASK_RUN_HISTORY_FILTERS, HISTORY_WINDOW_FIELDS, Object.keys(HISTORY_WINDOW_FIELDS))
  @ApiWireResponse(wire.array(HISTORY))
  @Post('history')
  @HttpCode(200)
  async taskRunHistory(@Body() body: unknown): Promise<object[]> {
    const { criteria, window } = parseTaskRunHistoryBody(body);
    return (await this.history.taskRunHistory(criteria, window)).map(historyResponse);
  }
}
