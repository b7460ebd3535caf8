import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { parseLimit } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  ConcurrencyLimitCreateDto,
  LimitOffsetDto,
  MINIMAL_LIMIT,
  minimalLimitResponse,
  ResetTagDto,
  TAG_LIMIT,
  TagSlotsDto,
} from './concurrency-limit.dto';
import { ConcurrencyLimitsService, type TagLimitView } from '@orrery/concurrency';
import { ApiWireResponse, CREATED_OR_EXISTING, wire, type WireOf } from '../openapi/wire-schema';

const NOT_FOUND = 'Concurrency limit not found';

/** `ConcurrencyLimit` (v1) on the wire. */
function tagLimitResponse(view: TagLimitView): WireOf<typeof TAG_LIMIT> {
  return {
    id: view.id,
    created: view.created.toISOString(),
    updated: view.updated.toISOString(),
    tag: view.tag,
    concurrency_limit: view.concurrencyLimit,
    active_slots: view.activeSlots,
  };
}

/**
 * `/api/concurrency_limits` (spec-api-orchestration §5, §7.7): v1 tag limits, served from v2 rows
 * named `tag:<tag>` (legacy v1 rows are still read, released and deleted).
 */
@Controller('concurrency_limits')
export class ConcurrencyLimitsController {
  constructor(
    private readonly limits: ConcurrencyLimitsService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(TAG_LIMIT, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: ConcurrencyLimitCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { view, created } = await this.limits.upsertTagLimit(body.tag, body.concurrency_limit);
    void reply.status(created ? 201 : 200);
    return tagLimitResponse(view);
  }

  @ApiWireResponse(wire.array(TAG_LIMIT))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: LimitOffsetDto): Promise<object[]> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    return (await this.limits.filterTagLimits(limit, body.offset ?? 0)).map(tagLimitResponse);
  }

  @ApiWireResponse(wire.array(MINIMAL_LIMIT))
  @Post('increment')
  @HttpCode(200)
  async increment(@Body() body: TagSlotsDto): Promise<object[]> {
    return (await this.limits.incrementTags(body.names, body.task_run_id.toLowerCase())).map(
      minimalLimitResponse,
    );
  }

  @ApiWireResponse(wire.array(MINIMAL_LIMIT))
  @Post('decrement')
  @HttpCode(200)
  async decrement(@Body() body: TagSlotsDto): Promise<object[]> {
    return (await this.limits.decrementTags(body.names, body.task_run_id.toLowerCase())).map(
      minimalLimitResponse,
    );
  }

  @ApiWireResponse(TAG_LIMIT)
  @Get('tag/:tag')
  async readByTag(@Param('tag') tag: string): Promise<object> {
    const view = await this.limits.readTagLimit({ tag });
    if (view === null) throw PrefectHttpError.notFound(NOT_FOUND);
    return tagLimitResponse(view);
  }

  @Post('tag/:tag/reset')
  @HttpCode(200)
  async reset(@Param('tag') tag: string, @Body() body: ResetTagDto): Promise<null> {
    const override = body.slot_override == null ? null : body.slot_override.map((id) => id.toLowerCase());
    if (!(await this.limits.resetTagLimit(tag, override))) throw PrefectHttpError.notFound(NOT_FOUND);
    return null;
  }

  @Delete('tag/:tag')
  @HttpCode(200)
  async deleteByTag(@Param('tag') tag: string): Promise<null> {
    if (!(await this.limits.deleteTagLimit({ tag }))) throw PrefectHttpError.notFound(NOT_FOUND);
    return null;
  }

  @ApiWireResponse(TAG_LIMIT)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const view = await this.limits.readTagLimit({ id });
    if (view === null) throw PrefectHttpError.notFound(NOT_FOUND);
    return tagLimitResponse(view);
  }

  @Delete(':id')
  @HttpCode(200)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<null> {
    if (!(await this.limits.deleteTagLimit({ id }))) throw PrefectHttpError.notFound(NOT_FOUND);
    return null;
  }
}
