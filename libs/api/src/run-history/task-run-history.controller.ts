import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RunHistoryRepository } from '@orrery/persistence';
import { parseTaskRunHistoryBody } from './history-body.parser';
import { historyResponse } from './history.response';

/** `POST /api/task_runs/history`. */
@Controller('task_runs')
export class TaskRunHistoryController {
  constructor(private readonly history: RunHistoryRepository) {}

  @Post('history')
  @HttpCode(200)
  async taskRunHistory(@Body() body: unknown): Promise<object[]> {
    const { criteria, window } = parseTaskRunHistoryBody(body);
    return (await this.history.taskRunHistory(criteria, window)).map(historyResponse);
  }
}
