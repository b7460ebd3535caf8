import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { FLOW_RUN_SORTS, type FlowRunCriteria, STATE_TYPES } from '@orrery/domain';
import { UiFlowRunsRepository } from '@orrery/persistence';
import { DeploymentFilterDto } from '../filters/deployment-filter.dto';
import { FlowFilterDto } from '../filters/flow-filter.dto';
import { FlowRunFilterDto } from '../filters/flow-run-filter.dto';
import type { FilterBodySpec } from '../filters/list-body.parser';
import { TaskRunFilterDto } from '../filters/task-run-filter.dto';
import { WorkPoolFilterDto } from '../filters/work-pool-filter.dto';
import type { ValidationIssue } from '@orrery/domain';
import {
  bodyFields,
  readBoundedInt,
  readCriteria,
  readEnum,
  readUuidList,
  throwIfAny,
} from '../run-history/body-fields';
import { ApiIdListBody, MAX_UI_IDS } from './ui-flows.controller';
import { ApiEmbeddedBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** The scatter plot asks for up to 1000 runs (a plain `le=1000` body field, not the API default limit). */
export const UI_HISTORY_MAX_LIMIT = 1000;

export const UI_HISTORY_FILTERS: FilterBodySpec<Omit<FlowRunCriteria, 'work_pool_queues'>> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
  },
};

/** A point of the runs page's scatter plot: durations and lateness in seconds. */
const SIMPLE_FLOW_RUN = wireModel('SimpleFlowRun', {
  id: wire.uuid(),
  // null for a run created without a state
  state_type: wire.nullable(wire.enum(STATE_TYPES)),
  timestamp: wire.dateTime(),
  duration: wire.number(),
  lateness: wire.number(),
});

/** `/api/ui/flow_runs/*`: the runs page's scatter plot and task-run badges. */
@Controller('ui/flow_runs')
export class UiFlowRunsController {
  constructor(private readonly runs: UiFlowRunsRepository) {}

  /** `[{id, state_type, timestamp, duration, lateness}]`, sorted and paged like `/flow_runs/filter`. */
  @ApiEmbeddedBody(UI_HISTORY_FILTERS, {
    sort: { enum: FLOW_RUN_SORTS, default: 'EXPECTED_START_TIME_DESC' },
    limit: { type: 'integer', minimum: 0, maximum: UI_HISTORY_MAX_LIMIT, default: UI_HISTORY_MAX_LIMIT },
    offset: { type: 'integer', minimum: 0, default: 0 },
  })
  @ApiWireResponse(wire.array(SIMPLE_FLOW_RUN))
  @Post('history')
  @HttpCode(200)
  async history(@Body() body: unknown): Promise<WireOf<typeof SIMPLE_FLOW_RUN>[]> {
    const fields = bodyFields(body);
    const issues: ValidationIssue[] = [];
    const sort = readEnum(fields, 'sort', FLOW_RUN_SORTS, 'EXPECTED_START_TIME_DESC', issues);
    const limit = readBoundedInt(
      fields,
      'limit',
      { default: UI_HISTORY_MAX_LIMIT, min: 0, max: UI_HISTORY_MAX_LIMIT },
      issues,
    );
    const offset = readBoundedInt(fields, 'offset', { default: 0, min: 0 }, issues);
    const criteria = readCriteria(UI_HISTORY_FILTERS, fields, issues);
    throwIfAny(issues);
    const runs = await this.runs.history({ ...criteria!, sort: sort!, limit: limit!, offset: offset! });
    return runs.map((r) => ({
      id: r.id,
      state_type: r.state_type,
      timestamp: r.timestamp,
      duration: r.duration,
      lateness: r.lateness,
    }));
  }

  /** `{flow_run_id: count}` for every requested run, 0 included; subflow task runs are not counted. */
  @ApiIdListBody('flow_run_ids')
  @ApiWireResponse(wire.dict(wire.integer()))
  @Post('count-task-runs')
  @HttpCode(200)
  async countTaskRuns(@Body() body: unknown): Promise<Record<string, number>> {
    const issues: ValidationIssue[] = [];
    const ids = readUuidList(bodyFields(body), 'flow_run_ids', MAX_UI_IDS, issues);
    throwIfAny(issues);
    const counts = await this.runs.countTaskRuns(ids!);
    return Object.fromEntries(ids!.map((id) => [id, counts.get(id) ?? 0]));
  }
}
