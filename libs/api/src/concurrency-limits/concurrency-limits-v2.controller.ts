import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import type { ConcurrencyLimitLocator, ConcurrencyLimitV2Changes } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { laxUuidParamPipe, pythonUuid } from '../common/uuid-param.pipe';
import { parseLimit } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  CONCURRENCY_LIMIT_V2,
  ConcurrencyLimitV2CreateDto,
  ConcurrencyLimitV2UpdateDto,
  concurrencyLimitV2Response,
  DecrementSlotsDto,
  DecrementWithLeaseDto,
  GLOBAL_CONCURRENCY_LIMIT,
  globalConcurrencyLimitResponse,
  IncrementSlotsDto,
  IncrementWithLeaseDto,
  LIMIT_WITH_LEASE,
  LimitOffsetDto,
  MINIMAL_LIMIT,
  minimalLimitResponse,
  RenewLeaseDto,
} from './concurrency-limit.dto';
import { ConcurrencyLimitsService } from '@orrery/concurrency';
import { ApiWireResponse, wire, type WireOf } from '../openapi/wire-schema';

const NOT_FOUND = 'Concurrency Limit not found';

/** A path segment Python's `UUID()` reads addresses the id, anything else the name (as upstream). */
function locatorOf(idOrName: string): ConcurrencyLimitLocator {
  const id = pythonUuid(idOrName);
  return id !== null ? { id } : { name: idOrName };
}

/** `/api/v2/concurrency_limits` (spec-api-orchestration §5, §7.7): global limits, slots and leases. */
@Controller('v2/concurrency_limits')
export class ConcurrencyLimitsV2Controller {
  constructor(
    private readonly limits: ConcurrencyLimitsService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(CONCURRENCY_LIMIT_V2, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: ConcurrencyLimitV2CreateDto): Promise<object> {
    const created = await this.limits.create({
      name: body.name,
      limit: body.limit,
      active: body.active,
      activeSlots: body.active_slots,
      deniedSlots: body.denied_slots,
      slotDecayPerSecond: body.slot_decay_per_second,
    });
    return concurrencyLimitV2Response(created);
  }

  @ApiWireResponse(wire.array(GLOBAL_CONCURRENCY_LIMIT))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: LimitOffsetDto): Promise<object[]> {
    const limit = parseLimit(body.limit, this.options.defaultLimit);
    return (await this.limits.page(limit, body.offset ?? 0)).map(globalConcurrencyLimitResponse);
  }

  @ApiWireResponse(wire.array(MINIMAL_LIMIT))
  @Post('increment')
  @HttpCode(200)
  async increment(@Body() body: IncrementSlotsDto): Promise<object[]> {
    return (await this.limits.increment(body.names, body.slots, body.mode)).map(minimalLimitResponse);
  }

  @ApiWireResponse(LIMIT_WITH_LEASE)
  @Post('increment-with-lease')
  @HttpCode(200)
  async incrementWithLease(@Body() body: IncrementWithLeaseDto): Promise<WireOf<typeof LIMIT_WITH_LEASE>> {
    const { leaseId, limits } = await this.limits.incrementWithLease(
      body.names,
      body.slots,
      body.mode,
      body.lease_duration,
      body.holder == null ? null : { type: body.holder.type, id: body.holder.id.toLowerCase() },
    );
    return { lease_id: leaseId, limits: limits.map(minimalLimitResponse) };
  }

  @ApiWireResponse(wire.array(MINIMAL_LIMIT))
  @Post('decrement')
  @HttpCode(200)
  async decrement(@Body() body: DecrementSlotsDto): Promise<object[]> {
    return (await this.limits.decrement(body.names, body.slots, body.occupancy_seconds ?? null)).map(
      minimalLimitResponse,
    );
  }

  @Post('decrement-with-lease')
  @HttpCode(204)
  async decrementWithLease(@Body() body: DecrementWithLeaseDto): Promise<void> {
    await this.limits.decrementWithLease(body.lease_id.toLowerCase());
  }

  @Post('leases/:lease_id/renew')
  @HttpCode(204)
  async renew(
    @Param('lease_id', laxUuidParamPipe('lease_id')) leaseId: string,
    @Body() body: RenewLeaseDto,
  ): Promise<void> {
    if (!(await this.limits.renewLease(leaseId, body.lease_duration))) {
      throw new PrefectHttpError(410, 'Lease not found - it may have expired or been revoked');
    }
  }

  @ApiWireResponse(GLOBAL_CONCURRENCY_LIMIT)
  @Get(':id_or_name')
  async read(@Param('id_or_name') idOrName: string): Promise<object> {
    const limit = await this.limits.read(locatorOf(idOrName));
    if (limit === null) throw PrefectHttpError.notFound(NOT_FOUND);
    return globalConcurrencyLimitResponse(limit);
  }

  @Patch(':id_or_name')
  @HttpCode(204)
  async update(
    @Param('id_or_name') idOrName: string,
    @Body() body: ConcurrencyLimitV2UpdateDto,
  ): Promise<void> {
    const changes: ConcurrencyLimitV2Changes = {
      ...(body.name != null ? { name: body.name } : {}),
      ...(body.limit != null ? { limit: body.limit } : {}),
      ...(body.active != null ? { active: body.active } : {}),
      ...(body.active_slots != null ? { activeSlots: body.active_slots } : {}),
      ...(body.denied_slots != null ? { deniedSlots: body.denied_slots } : {}),
      ...(body.slot_decay_per_second != null ? { slotDecayPerSecond: body.slot_decay_per_second } : {}),
    };
    if (!(await this.limits.update(locatorOf(idOrName), changes))) throw PrefectHttpError.notFound(NOT_FOUND);
  }

  @Delete(':id_or_name')
  @HttpCode(204)
  async delete(@Param('id_or_name') idOrName: string): Promise<void> {
    if (!(await this.limits.delete(locatorOf(idOrName)))) throw PrefectHttpError.notFound(NOT_FOUND);
  }
}
