import { type Settings, settingsForDisplay } from '@orrery/config';
import { snakeCaseKeys } from './snake-case';

/** Settings Prefect types as `timedelta` (JSON: an ISO 8601 duration); ours hold seconds. */
const DURATIONS = [
  'server.api.csrf_token_expiration',
  'server.events.related_resource_cache_ttl',
  'server.events.expired_bucket_buffer',
  'server.events.proactive_granularity',
  'server.events.retention_period',
  'server.events.maximum_websocket_backfill',
  'server.services.db_vacuum.retention_period',
  'server.services.db_vacuum.event_retention_overrides.*',
  'server.services.late_runs.after_seconds',
  'server.services.scheduler.max_scheduled_time',
  'server.services.scheduler.min_scheduled_time',
  'server.tasks.scheduling.pending_task_timeout',
];
/** Settings Prefect keeps as one comma-separated string; ours are lists. */
const COMMA_LISTS = [
  'server.api.cors_allowed_origins',
  'server.api.cors_allowed_methods',
  'server.api.cors_allowed_headers',
];

/** Seconds as pydantic writes a timedelta: `PT0S`, `PT20S`, `PT1H`, `P90D`, `P1DT2H3M4.5S`. */
export function isoDuration(seconds: number): string {
  let rest = Math.abs(seconds);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest = Math.round((rest - minutes * 60) * 1e6) / 1e6;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest ? `${rest}S` : ''}`;
  const sign = seconds < 0 ? '-' : '';
  if (days === 0 && time === '') return 'PT0S';
  return `${sign}P${days ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/** Applies `change` to the value at a dotted path (`*` = every key of an object). */
function rewrite(tree: Record<string, unknown>, path: string[], change: (v: unknown) => unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const keys = head === '*' ? Object.keys(tree) : [head];
  for (const key of keys) {
    if (!(key in tree)) continue;
    if (rest.length === 0) tree[key] = change(tree[key]);
    else if (typeof tree[key] === 'object' && tree[key] !== null) {
      rewrite(tree[key] as Record<string, unknown>, rest, change);
    }
  }
}

/**
 * `GET /admin/settings`: the settings tree with secrets masked (settingsForDisplay), in Prefect's
 * shape — snake_case keys, durations as ISO 8601 strings, CORS lists as comma-separated strings.
 */
export function settingsResponse(settings: Settings): Record<string, unknown> {
  const tree = snakeCaseKeys(settingsForDisplay(settings)) as Record<string, unknown>;
  for (const path of DURATIONS) {
    rewrite(tree, path.split('.'), (v) => (typeof v === 'number' ? isoDuration(v) : v));
  }
  for (const path of COMMA_LISTS) {
    rewrite(tree, path.split('.'), (v) => (Array.isArray(v) ? v.join(',') : v));
  }
  return tree;
}
