import { Instant } from '@orrery/domain';
import { IsArray, IsOptional, IsString, registerDecorator } from 'class-validator';

/** A datetime as the worker sends it: ISO-8601, `T` or a space between date and time. */
export function IsDateTime(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'Input should be a valid datetime' },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Instant.tryParse(value) !== null,
      },
    });
  };
}

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
  @IsDateTime()
  scheduled_before?: string | null;

  @IsOptional()
  @IsDateTime()
  scheduled_after?: string | null;

  @IsOptional()
  limit?: unknown;
}
