import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { SavedSearchRepository } from '@orrery/persistence';
import type { FastifyReply } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { type FilterBodySpec, parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { SavedSearchCreateDto, savedSearchResponse } from './saved-search.dto';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, CREATED_OR_EXISTING, wire } from '../openapi/wire-schema';
import { SAVED_SEARCH } from './saved-search.dto';

const SAVED_SEARCH_NOT_FOUND = 'Saved search not found';

/** `/saved_searches/filter` reads only `limit` and `offset`: no filter keys, no sort. */
const SAVED_SEARCH_BODY: FilterBodySpec<object> = { filters: {} };

/** `/api/saved_searches` (spec-api-orchestration §7.5), the UI's named filter sets. */
@Controller('saved_searches')
export class SavedSearchesController {
  constructor(
    private readonly searches: SavedSearchRepository,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** Upsert by name: 201 when this request created it, 200 when it replaced the filters of an existing one. */
  @ApiWireResponse(SAVED_SEARCH, CREATED_OR_EXISTING)
  @Put()
  async upsert(
    @Body() body: SavedSearchCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { search, created } = await this.searches.upsert({
      name: body.name,
      filters: body.filters.map((f) => ({
        object: f.object,
        property: f.property,
        type: f.type,
        operation: f.operation,
        value: f.value,
      })),
    });
    void reply.code(created ? 201 : 200);
    return savedSearchResponse(search);
  }

  @ApiWireResponse(wire.array(SAVED_SEARCH))
  @ApiFilterBody(SAVED_SEARCH_BODY, 'list')
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const { limit, offset } = parseListBody(SAVED_SEARCH_BODY, body, this.options.defaultLimit);
    return (await this.searches.list({ limit, offset })).map(savedSearchResponse);
  }

  @ApiWireResponse(SAVED_SEARCH)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const search = await this.searches.get(id);
    if (search === null) throw PrefectHttpError.notFound(SAVED_SEARCH_NOT_FOUND);
    return savedSearchResponse(search);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.searches.delete(id))) throw PrefectHttpError.notFound(SAVED_SEARCH_NOT_FOUND);
  }
}
