import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { type Event, EventPublisher, EventValidationError, EventValidator } from '@orrery/events';
import { EventRepository } from '@orrery/persistence';
import type { FastifyRequest } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { PrefectHttpError } from '../http/prefect-http.error';
import { forEachInSlices, MAX_BULK_ISSUES } from '../http/json-body.parser';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import {
  bucketProblem,
  bucketSeconds,
  type EventCountResponse,
  fillTimeBuckets,
  PIVOT,
  TIME_UNITS,
  type TimeUnit,
} from './event-count.buckets';
import { EVENT_FILTER_SCHEMA, EVENT_PAGE_MAX, EventFilterParser } from './event-filter.parser';
import { nextPageToken, readPageToken } from './event-page.token';
import { EVENT_COUNT, EVENT_PAGE, receivedEventResponse } from './event.response';
import { ApiWireResponse, namedSchema, wire } from '../openapi/wire-schema';
import type { JsonSchema } from '../openapi/validator-schema';
import { ApiBody, ApiQuery } from '@nestjs/swagger';

/** A resource's labels: `prefect.resource.id` required (and `prefect.resource.role` when related). */
const RESOURCE_INPUT: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };

/** An `Event` as EventValidator reads it; the server stamps `received`. */
const EVENT_INPUT = namedSchema('Event', {
  type: 'object',
  properties: {
    occurred: { type: 'string', format: 'date-time' },
    event: { type: 'string' },
    resource: RESOURCE_INPUT,
    related: { type: 'array', items: RESOURCE_INPUT, default: [] },
    payload: { type: 'object', default: {} },
    id: { type: 'string', format: 'uuid' },
    follows: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  },
  required: ['occurred', 'event', 'resource', 'id'],
});

/** Prefect's `EventPage`. */
export interface EventPageResponse {
  readonly events: Record<string, unknown>[];
  readonly total: number;
  readonly next_page: string | null;
}

/** `/api/events` (spec-services-events-ha §3.3): clients' events in, the event feed out. */
@Controller('events')
export class EventsController {
  constructor(
    private readonly validator: EventValidator,
    private readonly publisher: EventPublisher,
    private readonly events: EventRepository,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /**
   * A bare array of Event; 204. Stamped and published to `events`: stored by the event-persister,
   * not here. One invalid event refuses the whole batch (422, every issue named `["body", i, …]`, the
   * first MAX_BULK_ISSUES).
   */
  @ApiBody({ schema: { type: 'array', items: EVENT_INPUT } as never })
  @Post()
  @HttpCode(204)
  async create(@Body() body: unknown): Promise<void> {
    if (!Array.isArray(body)) {
      throw new RequestValidationError([
        { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body ?? null },
      ]);
    }
    const issues: ValidationIssue[] = [];
    const events: Event[] = [];
    // In slices that yield to the event loop: a bulk body may hold many thousand events.
    await forEachInSlices(body as unknown[], (item, index) => {
      try {
        events.push(this.validator.parse(item, ['body', index]));
      } catch (error) {
        if (!(error instanceof EventValidationError)) throw error;
        issues.push(...error.issues);
      }
      return issues.length < MAX_BULK_ISSUES;
    });
    if (issues.length > 0) throw new RequestValidationError(issues);
    await this.publisher.publish(events);
  }

  /** Body `{filter?, limit? ≤ 50}`; the first page, its total and the link to the next one. */
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        filter: { anyOf: [EVENT_FILTER_SCHEMA, { type: 'null' }] },
        limit: { type: 'integer', minimum: 0, maximum: EVENT_PAGE_MAX, default: EVENT_PAGE_MAX },
      },
    } as never,
  })
  @ApiWireResponse(EVENT_PAGE)
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown, @Req() request: FastifyRequest): Promise<EventPageResponse> {
    const input = body === undefined || body === null ? {} : body;
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw new RequestValidationError([
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input,
        },
      ]);
    }
    const { filter, limit = EVENT_PAGE_MAX } = input as { filter?: unknown; limit?: unknown };
    const parser = new EventFilterParser();
    const parsed = parser.parse(filter, ['body', 'filter']);
    if (typeof limit !== 'number' || !Number.isInteger(limit)) {
      parser.issues.push({
        type: 'int_type',
        loc: ['body', 'limit'],
        msg: 'Input should be a valid integer',
        input: limit,
      });
    } else if (limit < 0 || limit > EVENT_PAGE_MAX) {
      parser.issues.push({
        type: limit < 0 ? 'greater_than_equal' : 'less_than_equal',
        loc: ['body', 'limit'],
        msg:
          limit < 0
            ? 'Input should be greater than or equal to 0'
            : `Input should be less than or equal to ${EVENT_PAGE_MAX}`,
        input: limit,
      });
    }
    if (parsed === null || parser.issues.length > 0) throw new RequestValidationError(parser.issues);
    const pageSize = limit as number;
    const [events, total] = await Promise.all([
      this.events.page(parsed.criteria, pageSize, 0),
      this.events.count(parsed.criteria),
    ]);
    return this.pageResponse(request, parsed.wire, events.map(receivedEventResponse), total, pageSize, 0);
  }

  /** The page a `next_page` link names; 403 for a token this server did not issue. */
  @ApiQuery({ name: 'page-token', required: true, schema: { type: 'string' } })
  @ApiWireResponse(EVENT_PAGE)
  @Get('filter/next')
  async next(
    @Query('page-token') token: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EventPageResponse> {
    if (typeof token !== 'string') {
      throw new RequestValidationError([
        { type: 'missing', loc: ['query', 'page-token'], msg: 'Field required', input: null },
      ]);
    }
    const page = readPageToken(token);
    if (page === null) throw new PrefectHttpError(403, 'Invalid page token');
    const events = await this.events.page(page.criteria, page.pageSize, page.offset);
    return this.pageResponse(
      request,
      page.wire,
      events.map(receivedEventResponse),
      page.count,
      page.pageSize,
      page.offset,
    );
  }

  /**
   * `day | time | event | resource`: time buckets aligned to 2024-04-01 with empty ones filled, or
   * counts per event name / resource id. Body `{filter, time_unit = day, time_interval = 1 (≥ 0.01)}`;
   * more than 1000 buckets is a 422 `{"detail"}`, as upstream.
   */
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        filter: EVENT_FILTER_SCHEMA,
        time_unit: { enum: TIME_UNITS, default: 'day' },
        time_interval: { type: 'number', minimum: 0.01, default: 1 },
      },
      required: ['filter'],
    } as never,
  })
  @ApiWireResponse(wire.array(EVENT_COUNT))
  @Post('count-by/:countable')
  @HttpCode(200)
  async countBy(@Param('countable') countable: string, @Body() body: unknown): Promise<EventCountResponse[]> {
    const parser = new EventFilterParser();
    const issues = parser.issues;
    if (!['day', 'time', 'event', 'resource'].includes(countable)) {
      issues.push({
        type: 'enum',
        loc: ['path', 'countable'],
        msg: "Input should be 'day', 'time', 'event' or 'resource'",
        input: countable,
      });
    }
    const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      issues.push({ type: 'missing', loc: ['body'], msg: 'Field required', input: body ?? null });
    } else if (input.filter === undefined) {
      issues.push({ type: 'missing', loc: ['body', 'filter'], msg: 'Field required', input });
    }
    const parsed = input.filter === undefined ? null : parser.parse(input.filter, ['body', 'filter']);
    let unit: TimeUnit = 'day';
    if (input.time_unit !== undefined) {
      if (TIME_UNITS.includes(input.time_unit as TimeUnit)) unit = input.time_unit as TimeUnit;
      else
        issues.push({
          type: 'enum',
          loc: ['body', 'time_unit'],
          msg: "Input should be 'week', 'day', 'hour', 'minute' or 'second'",
          input: input.time_unit,
        });
    }
    let interval = 1;
    if (input.time_interval !== undefined) {
      if (typeof input.time_interval !== 'number' || !Number.isFinite(input.time_interval)) {
        issues.push({
          type: 'float_type',
          loc: ['body', 'time_interval'],
          msg: 'Input should be a valid number',
          input: input.time_interval,
        });
      } else if (input.time_interval < 0.01) {
        issues.push({
          type: 'greater_than_equal',
          loc: ['body', 'time_interval'],
          msg: 'Input should be greater than or equal to 0.01',
          input: input.time_interval,
        });
      } else interval = input.time_interval;
    }
    if (parsed === null || issues.length > 0) throw new RequestValidationError(issues);
    const criteria = parsed.criteria;
    if (countable === 'event' || countable === 'resource') {
      const rows = await this.events.countByValue(criteria, countable);
      return rows.map((r) => ({
        value: r.value,
        label: r.label,
        count: r.count,
        start_time: Instant.parse(r.start_time).toISOString(),
        end_time: Instant.parse(r.end_time).toISOString(),
      }));
    }
    // The legacy `day` countable is `time` by whole days.
    if (countable === 'day') {
      unit = 'day';
      interval = 1;
    }
    const since = Instant.parse(criteria.since);
    const until = Instant.parse(criteria.until);
    const problem = bucketProblem(since, until, unit, interval);
    if (problem !== null) throw new PrefectHttpError(422, problem);
    const counts = await this.events.countByTimeBucket(
      criteria,
      PIVOT.toISOString(),
      bucketSeconds(unit, interval),
    );
    return fillTimeBuckets(since, until, unit, interval, counts);
  }

  private pageResponse(
    request: FastifyRequest,
    wire: Record<string, unknown>,
    events: Record<string, unknown>[],
    total: number,
    pageSize: number,
    offset: number,
  ): EventPageResponse {
    const token = nextPageToken(wire, total, pageSize, offset);
    if (token === null) return { events, total, next_page: null };
    // Upstream's `{request.base_url}api/events/filter/next?page-token=…`, under this server's prefix.
    const base = `${request.protocol}://${request.host}/${this.options.prefix.replace(/^\/+/, '')}`;
    return { events, total, next_page: `${base}/events/filter/next?page-token=${encodeURIComponent(token)}` };
  }
}
