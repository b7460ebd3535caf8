import { laxBool, laxInt, maxScheduledRunsIssue, parseSchedule, type Schedule } from '@orrery/domain';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';

/** A validated `DeploymentScheduleCreate` / `DeploymentScheduleUpdate` (absent keys stay undefined). */
export interface ScheduleInput {
  schedule?: Schedule;
  active?: boolean;
  maxScheduledRuns?: number | null;
  parameters?: Record<string, unknown>;
  slug?: string | null;
  replaces?: string | null;
}

const KEYS = ['schedule', 'active', 'max_scheduled_runs', 'parameters', 'slug', 'replaces'];

/**
 * Reads schedule bodies at `loc` (e.g. `['body', 'schedules']`), collecting every issue before
 * answering 422. `requireSchedule` is the create shape, where `schedule` is mandatory.
 */
export function parseScheduleInputs(
  items: readonly unknown[],
  loc: ReadonlyArray<string | number>,
  options: { requireSchedule: boolean; maxScheduledRuns: number },
): ScheduleInput[] {
  const issues: ValidationIssue[] = [];
  const inputs = items.map((item, i) => readOne(item, [...loc, i], options, issues));
  if (issues.length > 0) throw new RequestValidationError(issues);
  return inputs;
}

function readOne(
  item: unknown,
  loc: ReadonlyArray<string | number>,
  options: { requireSchedule: boolean; maxScheduledRuns: number },
  issues: ValidationIssue[],
): ScheduleInput {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    issues.push({
      type: 'model_type',
      loc,
      msg: 'Input should be a valid dictionary or object',
      input: item,
    });
    return {};
  }
  const body = item as Record<string, unknown>;
  const input: ScheduleInput = {};
  for (const key of Object.keys(body)) {
    if (!KEYS.includes(key)) {
      issues.push({
        type: 'extra_forbidden',
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        input: body[key],
      });
    }
  }
  if (body.schedule === undefined || (body.schedule === null && options.requireSchedule)) {
    if (options.requireSchedule) {
      issues.push({ type: 'missing', loc: [...loc, 'schedule'], msg: 'Field required', input: body });
    }
  } else if (body.schedule !== null) {
    const parsed = parseSchedule(body.schedule, [...loc, 'schedule']);
    if ('issues' in parsed) issues.push(...parsed.issues);
    else input.schedule = parsed.schedule;
  }
  if (body.active !== undefined) {
    const active = laxBool(body.active);
    if (active.ok) input.active = active.value;
    else if (body.active !== null || options.requireSchedule) {
      issues.push({ type: active.type, loc: [...loc, 'active'], msg: active.msg, input: body.active });
    }
  }
  if (body.max_scheduled_runs !== undefined) {
    const issue = maxScheduledRunsIssue(body.max_scheduled_runs, options.maxScheduledRuns, [
      ...loc,
      'max_scheduled_runs',
    ]);
    if (issue !== null) issues.push(issue);
    else {
      const runs = laxInt(body.max_scheduled_runs);
      input.maxScheduledRuns = runs.ok ? runs.value : null;
    }
  }
  if (body.parameters !== undefined) {
    const p = body.parameters;
    if (typeof p === 'object' && p !== null && !Array.isArray(p))
      input.parameters = p as Record<string, unknown>;
    else
      issues.push({
        type: 'dict_type',
        loc: [...loc, 'parameters'],
        msg: 'Input should be a valid dictionary',
        input: p,
      });
  }
  for (const key of ['slug', 'replaces'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (value === null || typeof value === 'string') input[key] = value;
    else
      issues.push({
        type: 'string_type',
        loc: [...loc, key],
        msg: 'Input should be a valid string',
        input: value,
      });
  }
  return input;
}
