/**
 * An expected failure of an action (upstream `ActionFailed`): reported in the
 * `prefect.automation.action.failed` event with its reason and details, acknowledged, never retried.
 */
export class ActionFailed extends Error {
  override readonly name = 'ActionFailed';

  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Upstream's `reason_from_response` for a use-case's Prefect status: 409/422 name the detail, any
 * other status ≥ 300 is "Unexpected status".
 */
export function reasonFromStatus(actionType: string, status: number, detail: string | null): string {
  if (status === 422 || (status === 409 && detail)) {
    return `Validation error occurred for '${actionType}'` + (detail ? ` - ${detail}` : '');
  }
  if (status === 409) return `Conflict (409) occurred for '${actionType}' - ''`;
  return `Unexpected status from '${actionType}' action: ${status}`;
}
