import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { UiFlowsRepository } from '@orrery/persistence';
import { STATE_TYPES, type ValidationIssue } from '@orrery/domain';
import { bodyFields, readUuidList, throwIfAny } from '../run-history/body-fields';
import { ApiBody } from '@nestjs/swagger';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Prefect caps the id lists of the UI helpers at 200. */
export const MAX_UI_IDS = 200;

/** A body `{[key]: [uuid, …]}` (at most MAX_UI_IDS), read by readUuidList. */
export function ApiIdListBody(key: string): MethodDecorator {
  return ApiBody({
    schema: {
      type: 'object',
      properties: {
        [key]: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: MAX_UI_IDS },
      },
      required: [key],
    },
  });
}

/** The soonest scheduled run of a flow. */
const SIMPLE_NEXT_FLOW_RUN = wireModel('SimpleNextFlowRun', {
  id: wire.uuid(),
  flow_id: wire.uuid(),
  name: wire.string(),
  state_name: wire.string(),
  state_type: wire.enum(STATE_TYPES),
  next_scheduled_start_time: wire.dateTime(),
});

function readFlowIds(body: unknown): string[] {
  const issues: ValidationIssue[] = [];
  const ids = readUuidList(bodyFields(body), 'flow_ids', MAX_UI_IDS, issues);
  throwIfAny(issues);
  return ids!;
}

/** `/api/ui/flows/*`: per-flow figures for the flows page, one query per call whatever the number of flows. */
@Controller('ui/flows')
export class UiFlowsController {
  constructor(private readonly flows: UiFlowsRepository) {}

  /** `{flow_id: count}` for every requested flow, 0 included. */
  @ApiIdListBody('flow_ids')
  @ApiWireResponse(wire.dict(wire.integer()))
  @Post('count-deployments')
  @HttpCode(200)
  async countDeployments(@Body() body: unknown): Promise<Record<string, number>> {
    const flowIds = readFlowIds(body);
    const counts = await this.flows.countDeployments(flowIds);
    return Object.fromEntries(flowIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  /** `{flow_id: SimpleNextFlowRun | null}` for every requested flow. */
  @ApiIdListBody('flow_ids')
  @ApiWireResponse(wire.dict(wire.nullable(SIMPLE_NEXT_FLOW_RUN)))
  @Post('next-runs')
  @HttpCode(200)
  async nextRuns(@Body() body: unknown): Promise<Record<string, WireOf<typeof SIMPLE_NEXT_FLOW_RUN> | null>> {
    const flowIds = readFlowIds(body);
    const runs = await this.flows.nextRuns(flowIds);
    return Object.fromEntries(
      flowIds.map((id) => {
        const run = runs.get(id);
        return [
          id,
          run === undefined
            ? null
            : {
                id: run.id,
                flow_id: run.flow_id,
                name: run.name,
                state_name: run.state_name,
                state_type: run.state_type,
                next_scheduled_start_time: run.next_scheduled_start_time,
              },
        ];
      }),
    );
  }
}
