import { RequestValidationError } from '@orrery/domain';

/** Prefect's default `PREFECT_SERVER_API_MAX_PARAMETER_SIZE`, in bytes. */
export const DEFAULT_MAX_PARAMETER_SIZE = 524_288;

/**
 * Prefect's SizedParameters, for flow runs, runs created from a deployment and deployments alike:
 * the compact JSON of the parameters (non-ASCII escaped, as Python's json.dumps writes it) may not
 * exceed `max` bytes (PREFECT_SERVER_API_MAX_PARAMETER_SIZE; 0 = no limit). A 422 otherwise.
 */
export function checkParameterSize(
  parameters: Record<string, unknown> | null | undefined,
  max: number | undefined,
  owner: 'Flow run' | 'Deployment',
): void {
  const limit = max ?? DEFAULT_MAX_PARAMETER_SIZE;
  if (limit <= 0 || parameters == null || Object.keys(parameters).length === 0) return;
  const size = JSON.stringify(parameters).replace(/[\u0080-\uffff]/g, '\\u0000').length;
  if (size <= limit) return;
  const bytes = (n: number) => n.toLocaleString('en-US');
  throw new RequestValidationError([
    {
      type: 'value_error',
      loc: ['body', 'parameters'],
      msg: `Value error, ${owner} parameters must be less than ${bytes(limit)} bytes when serialized (got ${bytes(size)} bytes).`,
      input: parameters,
    },
  ]);
}
