import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FlowRunInputRepository } from '@orrery/persistence';
import type { FastifyReply } from 'fastify';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  FLOW_RUN_INPUT,
  FlowRunInputCreateDto,
  FlowRunInputFilterDto,
  flowRunInputResponse,
} from './flow-run-input.dto';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

const INPUT_NOT_FOUND = 'Flow run input not found';

/** `/api/flow_runs/{id}/input…`: the key/value inbox of a paused or suspended run (`send_input`, `receive_input`). */
@Controller('flow_runs')
export class FlowRunInputController {
  constructor(private readonly inputs: FlowRunInputRepository) {}

  /** 201 `null`; 409 when the key is taken, 404 when the run does not exist. */
  @Post(':id/input')
  @HttpCode(201)
  async create(@Param('id', UuidParamPipe) id: string, @Body() body: FlowRunInputCreateDto): Promise<null> {
    const result = await this.inputs.create({
      flowRunId: id,
      key: body.key,
      value: body.value,
      sender: body.sender,
    });
    if (result === 'flow-run-not-found') throw PrefectHttpError.notFound('Flow run not found');
    if (result === 'duplicate-key')
      throw PrefectHttpError.conflict('A flow run input with this key already exists.');
    return null;
  }

  @ApiWireResponse(wire.array(FLOW_RUN_INPUT))
  @Post(':id/input/filter')
  @HttpCode(200)
  async filter(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: FlowRunInputFilterDto,
  ): Promise<object[]> {
    const inputs = await this.inputs.filter(id, {
      prefix: body.prefix,
      limit: body.limit,
      excludeKeys: body.exclude_keys,
    });
    return inputs.map(flowRunInputResponse);
  }

  /** The stored value itself, as text/plain (it is usually JSON the SDK decodes). */
  @Get(':id/input/:key')
  async read(
    @Param('id', UuidParamPipe) id: string,
    @Param('key') key: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const input = await this.inputs.read(id, key);
    if (input === null) throw PrefectHttpError.notFound(INPUT_NOT_FOUND);
    void reply.header('content-type', 'text/plain; charset=utf-8');
    return input.value;
  }

  @Delete(':id/input/:key')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string, @Param('key') key: string): Promise<void> {
    if (!(await this.inputs.delete(id, key))) throw PrefectHttpError.notFound(INPUT_NOT_FOUND);
  }
}
