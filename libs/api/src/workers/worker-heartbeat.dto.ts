import { IsOptional, IsString } from 'class-validator';
import { IsInt32 } from '../common/validators';

/** The body of `POST /work_pools/{pool}/workers/heartbeat`; unknown keys (`return_id` …) are ignored. */
export class WorkerHeartbeatDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt32()
  heartbeat_interval_seconds: number | null = null;
}
