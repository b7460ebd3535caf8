import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { FlowRepository } from '@orrery/persistence';
import type { FastifyReply } from 'fastify';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { FlowCreateDto, flowResponse, FlowUpdateDto } from './flow.dto';

const FLOW_NOT_FOUND = 'Flow not found';

/** `/api/flows` (spec-api-orchestration §7.1). */
@Controller('flows')
export class FlowsController {
  constructor(private readonly flows: FlowRepository) {}

  /** 201 when this request created the flow, 200 with the existing flow (never modified) otherwise. */
  @Post()
  async create(
    @Body() body: FlowCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { flow, created } = await this.flows.createOrGet(body);
    void reply.code(created ? 201 : 200);
    return flowResponse(flow);
  }

  @Get('name/:name')
  async readByName(@Param('name') name: string): Promise<object> {
    const flow = await this.flows.getByName(name);
    if (flow === null) throw PrefectHttpError.notFound(FLOW_NOT_FOUND);
    return flowResponse(flow);
  }

  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const flow = await this.flows.get(id);
    if (flow === null) throw PrefectHttpError.notFound(FLOW_NOT_FOUND);
    return flowResponse(flow);
  }

  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: FlowUpdateDto): Promise<void> {
    const found =
      body.tags === undefined
        ? (await this.flows.get(id)) !== null
        : await this.flows.updateTags(id, body.tags);
    if (!found) throw PrefectHttpError.notFound(FLOW_NOT_FOUND);
  }

  /** Cascades to the flow's runs and deployments. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.flows.delete(id))) throw PrefectHttpError.notFound(FLOW_NOT_FOUND);
  }
}
