import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { LogRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { LOG_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { LOG_CREATE_SCHEMA, parseLogCreateBatch } from './log-create.parser';
import { ApiBody } from '@nestjs/swagger';
import { LogPublisher } from './log.publisher';
import { logResponse } from './log.response';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { LOG } from './log.response';

/** `/api/logs` (spec-api-orchestration §7.5): the SDK's, workers' and runners' log batches, and the UI's log view. */
@Controller('logs')
export class LogsController {
  constructor(
    private readonly logs: LogRepository,
    private readonly publisher: LogPublisher,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** A bare array of LogCreate; 201 with `null`. Published to `logs` only after the write commits. */
  @ApiBody({ schema: { type: 'array', items: LOG_CREATE_SCHEMA } as never })
  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<null> {
    const batch = await parseLogCreateBatch(body);
    const written = await this.logs.createMany(batch, { returnRows: this.publisher.enabled });
    await this.publisher.publish(written);
    return null;
  }

  @ApiWireResponse(wire.array(LOG))
  @ApiFilterBody(LOG_BODY, 'list')
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    return (await this.logs.list(parseListBody(LOG_BODY, body, this.options.defaultLimit))).map(logResponse);
  }
}
