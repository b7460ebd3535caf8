import { Allow } from 'class-validator';
import { AbsentAllowed } from '../common/validators';
import { IsLaxBool } from '../common/lax-scalars';

/** `POST /flow_runs/{id}/set_state` and `/task_runs/{id}/set_state`: `{state*, force}`. */
export class SetStateBodyDto {
  @Allow()
  state?: unknown;

  @AbsentAllowed()
  @IsLaxBool()
  force?: boolean;
}
