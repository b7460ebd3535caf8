import { IsInt, IsOptional, IsString } from 'class-validator';

/** The body of `POST /work_pools/{pool}/workers/heartbeat`; unknown keys (`return_id` …) are ignored. */
export class WorkerHeartbeatDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt()
  heartbeat_interval_seconds: number | null = null;
}
