import { Allow, IsBoolean } from 'class-validator';
import { AbsentAllowed } from '../common/validators';

/** `POST /flow_runs/{id}/set_state` and `/task_runs/{id}/set_state`: `{state*, force}`. */
export class SetStateBodyDto {
  @Allow()
  state?: unknown;

  @AbsentAllowed()
  @IsBoolean()
  force?: boolean;
}
