import { Body, Controller, HttpCode, Optional, Param, Post } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { DeploymentRunScheduler } from '@orrery/runs';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import type { ValidationIssue } from '@orrery/domain';
import {
  bodyFields,
  type Fields,
  readBoundedInt,
  readDurationSeconds,
  readInstant,
  throwIfAny,
} from '../run-history/body-fields';

/** Prefect's scheduler defaults, for a process without the settings tree (tests). */
const DEFAULTS = { maxRuns: 100, minRuns: 3, maxScheduledTime: 100 * 86400, minScheduledTime: 3600 };

function optional<T>(
  fields: Fields,
  key: string,
  read: (f: Fields, k: string, i: ValidationIssue[]) => T | undefined,
  issues: ValidationIssue[],
): T | undefined {
  return fields[key] === undefined || fields[key] === null ? undefined : read(fields, key, issues);
}

/**
 * `POST /deployments/{id}/schedule` (upstream `schedule_deployment`): creates the runs of the
 * deployment's active schedules now, as the scheduler would, with the window given in the body —
 * `start_time` (default now), `end_time` (default start + MAX_SCHEDULED_TIME), `min_time` seconds,
 * `min_runs`, `max_runs` (defaults from PREFECT_SERVER_SERVICES_SCHEDULER_*). Start and end in the
 * past make a backfill. Idempotent (the runs' idempotency keys); paused deployments are scheduled too,
 * and an unknown deployment schedules nothing — both as upstream. Answers `null`.
 */
@Controller('deployments')
export class DeploymentScheduleRunsController {
  private readonly config: typeof DEFAULTS & { insertBatchSize: number };

  constructor(
    private readonly scheduler: DeploymentRunScheduler,
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.config = settings?.server.services.scheduler ?? { ...DEFAULTS, insertBatchSize: 500 };
  }

  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        start_time: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        end_time: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        min_time: { anyOf: [{ type: 'number', format: 'time-delta' }, { type: 'null' }] },
        min_runs: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        max_runs: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      },
    },
  })
  @Post(':id/schedule')
  @HttpCode(200)
  async schedule(@Param('id', UuidParamPipe) id: string, @Body() body: unknown): Promise<null> {
    const fields = bodyFields(body);
    const issues: ValidationIssue[] = [];
    const startTime = optional<Instant>(fields, 'start_time', readInstant, issues);
    const endTime = optional<Instant>(fields, 'end_time', readInstant, issues);
    const minTime = optional(fields, 'min_time', readDurationSeconds, issues);
    const int = (key: string, fallback: number) =>
      fields[key] === null ? fallback : readBoundedInt(fields, key, { default: fallback }, issues);
    const minRuns = int('min_runs', this.config.minRuns);
    const maxRuns = int('max_runs', this.config.maxRuns);
    throwIfAny(issues);
    const start = startTime ?? Instant.now();
    await this.scheduler.scheduleDeployments(
      [id],
      {
        start,
        end: endTime ?? start.plusSeconds(this.config.maxScheduledTime),
        minTimeSeconds: minTime ?? this.config.minScheduledTime,
        minRuns: minRuns!,
        maxRuns: maxRuns!,
      },
      this.config.insertBatchSize,
    );
    return null;
  }
}
