import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Res } from '@nestjs/common';
import { paginated } from '@orrery/domain';
import { FlowRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import type { FastifyReply } from 'fastify';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { FLOW_BODY } from '../filters/filter-bodies';
import {
  parseBulkBody,
  parseFilterCriteria,
  parseListBody,
  parsePaginateBody,
} from '../filters/list-body.parser';
import { ApiWireResponse, CREATED_OR_EXISTING, wire } from '../openapi/wire-schema';
import { FLOW, FLOW_BULK_DELETE, FLOW_PAGE, FlowCreateDto, flowResponse, FlowUpdateDto } from './flow.dto';
import { ApiFilterBody } from '../openapi/api-filter-body';

const FLOW_NOT_FOUND = 'Flow not found';

/** `/api/flows` (spec-api-orchestration §7.1). */
@Controller('flows')
export class FlowsController {
  constructor(
    private readonly flows: FlowRepository,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 when this request created the flow, 200 with the existing flow (never modified) otherwise. */
  @ApiWireResponse(FLOW, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: FlowCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { flow, created } = await this.flows.createOrGet(body);
    void reply.code(created ? 201 : 200);
    return flowResponse(flow);
  }

  @ApiFilterBody(FLOW_BODY, 'list')
  @ApiWireResponse(wire.array(FLOW))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    return (await this.flows.list(parseListBody(FLOW_BODY, body, this.options.defaultLimit))).map(
      flowResponse,
    );
  }

  @ApiFilterBody(FLOW_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.flows.count(parseFilterCriteria(FLOW_BODY, body));
  }

  @ApiFilterBody(FLOW_BODY, 'paginate')
  @ApiWireResponse(FLOW_PAGE)
  @Post('paginate')
  @HttpCode(200)
  async paginate(@Body() body: unknown): Promise<object> {
    const request = parsePaginateBody(FLOW_BODY, body, this.options.defaultLimit);
    const [flows, count] = await Promise.all([this.flows.list(request), this.flows.count(request)]);
    return paginated(flows.map(flowResponse), count, request);
  }

  @ApiFilterBody(FLOW_BODY, 'bulk')
  @ApiWireResponse(FLOW_BULK_DELETE)
  @Post('bulk_delete')
  @HttpCode(200)
  async bulkDelete(@Body() body: unknown): Promise<{ deleted: string[] }> {
    const { limit, ...criteria } = parseBulkBody(FLOW_BODY, body);
    return { deleted: await this.flows.deleteMatching(criteria, limit) };
  }

  @ApiWireResponse(FLOW)
  @Get('name/:name')
  async readByName(@Param('name') name: string): Promise<object> {
    const flow = await this.flows.getByName(name);
    if (flow === null) throw PrefectHttpError.notFound(FLOW_NOT_FOUND);
    return flowResponse(flow);
  }

  @ApiWireResponse(FLOW)
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
