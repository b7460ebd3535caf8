import { IsArray, IsOptional, IsString } from 'class-validator';
import { IsLaxDateTime } from '../common/lax-scalars';

/**
 * The body of `POST /work_pools/{name}/get_scheduled_flow_runs` (§6.3); `limit` is read by
 * `parseLimit` (Prefect's LimitBody rules), unknown top-level keys are ignored.
 */
export class ScheduledRunsBodyDto {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  work_queue_names?: string[] | null;

  @IsOptional()
  @IsLaxDateTime()
  scheduled_before?: string | null;

  @IsOptional()
  @IsLaxDateTime()
  scheduled_after?: string | null;

  @IsOptional()
  limit?: unknown;
}
