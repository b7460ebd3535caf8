import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { OutboxPublisher } from '@orrery/outbox';
import { AutomationRepository } from '@orrery/persistence';

import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { AUTOMATION_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { parseAutomationBody, selectedDeployments } from './automation-body.parser';
import { automationEvent, automationResponse } from './automation.response';
import { AbsentAllowed } from '../common/validators';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { IsLaxBool } from '../common/lax-scalars';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { ApiBody } from '@nestjs/swagger';
import { AUTOMATION, automationInputSchema } from './automation.schema';

const AUTOMATION_NOT_FOUND = 'Automation not found';

/** `AutomationPartialUpdate`: only `enabled`. */
export class AutomationPartialUpdateDto {
  // Upstream's AutomationPartialUpdate defaults `enabled` to true: an empty body enables.
  @AbsentAllowed()
  @IsLaxBool()
  enabled: boolean = true;
}

/**
 * `/api/automations` CRUD (spec-services-events-ha §5.1): create 201, replace 204, enable/disable
 * 204, delete 204, filter (name, created, tags; NAME_ASC default), count (every automation),
 * related-to a resource, delete-owned-by a resource 202 (the runner's
 * `DELETE /automations/owned-by/prefect.deployment.<id>` before it re-creates a deployment's
 * triggers). Each write emits `prefect.automation.*` through the outbox and NOTIFYs
 * `prefect_automation_changes` in the same transaction. Evaluating triggers is the triggers
 * service's job, not this controller's.
 */
@Controller('automations')
export class AutomationsController {
  constructor(
    private readonly automations: AutomationRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiBody({ schema: automationInputSchema('create') as never })
  @ApiWireResponse(AUTOMATION, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<object> {
    const { ownerResource, ...automation } = parseAutomationBody(body, 'create');
    const created = await this.outbox.transaction(async (manager, emit) => {
      const record = await this.automations.create(manager, automation);
      await this.automations.relate(manager, record.id, selectedDeployments(automation), ownerResource);
      emit(automationEvent('created', record));
      return record;
    });
    return automationResponse(created);
  }

  @ApiBody({ schema: automationInputSchema('update') as never })
  @Put(':id')
  @HttpCode(204)
  async replace(@Param('id', UuidParamPipe) id: string, @Body() body: unknown): Promise<void> {
    const { ownerResource: _ignored, ...automation } = parseAutomationBody(body, 'update');
    const updated = await this.outbox.transaction(async (manager, emit) => {
      const record = await this.automations.replace(manager, id, automation);
      if (record === null) return null;
      await this.automations.relate(manager, id, selectedDeployments(automation), null);
      emit(automationEvent('updated', record));
      return record;
    });
    if (updated === null) throw PrefectHttpError.notFound(AUTOMATION_NOT_FOUND);
  }

  @Patch(':id')
  @HttpCode(204)
  async patch(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AutomationPartialUpdateDto,
  ): Promise<void> {
    const updated = await this.outbox.transaction(async (manager, emit) => {
      const record = await this.automations.setEnabled(manager, id, body.enabled);
      if (record !== null) emit(automationEvent('updated', record));
      return record;
    });
    if (updated === null) throw PrefectHttpError.notFound(AUTOMATION_NOT_FOUND);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    const deleted = await this.outbox.transaction(async (manager, emit) => {
      const record = await this.automations.delete(manager, id);
      if (record !== null) emit(automationEvent('deleted', record));
      return record;
    });
    if (deleted === null) throw PrefectHttpError.notFound(AUTOMATION_NOT_FOUND);
  }

  @ApiWireResponse(AUTOMATION)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const automation = await this.automations.get(id);
    if (automation === null) throw PrefectHttpError.notFound(AUTOMATION_NOT_FOUND);
    return automationResponse(automation);
  }

  @ApiFilterBody(AUTOMATION_BODY, 'list')
  @ApiWireResponse(wire.array(AUTOMATION))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(AUTOMATION_BODY, body, this.options.defaultLimit);
    return (await this.automations.list(request)).map(automationResponse);
  }

  @ApiWireResponse(wire.integer())
  @Post('count')
  @HttpCode(200)
  count(): Promise<number> {
    return this.automations.count();
  }

  @ApiWireResponse(wire.array(AUTOMATION))
  @Get('related-to/:resource_id')
  async relatedTo(@Param('resource_id') resourceId: string): Promise<object[]> {
    return (await this.automations.relatedTo(resourceId)).map(automationResponse);
  }

  @Delete('owned-by/:resource_id')
  @HttpCode(202)
  async deleteOwnedBy(@Param('resource_id') resourceId: string): Promise<void> {
    await this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.automations.deleteOwnedBy(manager, resourceId, Instant.now());
      for (const record of deleted) emit(automationEvent('deleted', record));
    });
  }
}
