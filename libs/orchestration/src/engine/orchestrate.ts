import { copyState, stateFromCreate, type State, type StateCreate } from '@orrery/domain';
import { selectPolicy } from '../policies/select-policy';
import { GLOBAL_FLOW_POLICY } from '../policies/global-flow.policy';
import { GLOBAL_TASK_POLICY } from '../policies/global-task.policy';
import { OrchestrationContext } from './orchestration.context';
import {
  DEFAULT_ORCHESTRATION_SETTINGS,
  type OrchestrationParameters,
  type OrchestrationSettings,
} from './orchestration-parameters';
import type { OrchestrationPolicy } from './orchestration.policy';
import type { OrchestrationPorts } from './orchestration.ports';
import type { OrchestrationResult } from './orchestration-result';
import type { OrchestrationRule } from './orchestration.rule';
import { RuleContext } from './rule.context';
import { copyRun, diffRun, type RunKind, type RunSnapshotOf } from './run-snapshot';
import type { UniversalTransform } from './universal.transform';

export interface OrchestrateInput<K extends RunKind> {
  kind: K;
  /** The run row as read under `SELECT … FOR UPDATE`; not changed (the engine works on a copy). */
  run: RunSnapshotOf[K];
  /** The run's current state (with its result data), or null. */
  initialState: State | null;
  /** What the client proposes. */
  proposed: StateCreate;
  force: boolean;
  params: OrchestrationParameters;
  ports: OrchestrationPorts;
  settings?: OrchestrationSettings;
  /**
   * A non-forced flow transition may name its policy (the late-runs service passes
   * MARK_LATE_RUNS_POLICY); otherwise spec-api §4.1 item 3 picks it.
   */
  policy?: OrchestrationPolicy<K>;
}

type Entered<K extends RunKind> =
  | { universal: true; transform: UniversalTransform<K> }
  | { universal: false; rule: OrchestrationRule<K>; ctx: RuleContext<K>; invalidOnEntry: boolean };

/**
 * Runs one state transition through its policy and the global transforms (spec-api §4.1): compile,
 * enter every rule in order, validate (insert the state row through the port), exit in reverse
 * order. The engine decides; the caller, inside one transaction holding the run row lock, writes
 * `runChanges` to the run row and commits.
 *
 * Throws (after every entered rule has exited) when a before hook threw — the caller answers 500,
 * or 404 for OrchestrationObjectNotFoundError — when an after/cleanup hook threw, and when
 * `insertState` failed with an error the state store calls retryable (503). The caller must roll
 * back on any throw.
 */
export async function orchestrate<K extends RunKind>(
  input: OrchestrateInput<K>,
): Promise<OrchestrationResult<K>> {
  const { kind, ports } = input;
  const original = copyRun(input.run);
  const run = copyRun(input.run);
  const now = ports.clock.now();
  const proposed = stateFromCreate(input.proposed, ports.ids.uuid7(), now);
  const ctx = new OrchestrationContext<K>(
    kind,
    run,
    input.initialState === null ? null : copyState(input.initialState),
    proposed,
    input.params,
    input.settings ?? DEFAULT_ORCHESTRATION_SETTINGS,
    ports,
  );

  const policy =
    !input.force && input.policy !== undefined
      ? input.policy
      : selectPolicy(kind, { force: input.force, deferred: proposed.stateDetails.deferred === true });
  const global = (kind === 'flow' ? GLOBAL_FLOW_POLICY : GLOBAL_TASK_POLICY) as OrchestrationPolicy<K>;
  const fromType = ctx.initialStateType;
  const toType = ctx.proposedStateType;
  const compiled = [...policy.rules, ...global.rules]
    .map((RuleType) => new RuleType())
    .filter((rule) => rule.universal || (rule.fromStates.has(fromType) && rule.toStates.has(toType)));

  // Enter, in order.
  const entered: Entered<K>[] = [];
  for (const rule of compiled) {
    if (rule.universal) {
      entered.push({ universal: true, transform: rule });
      await guardBefore(ctx, rule.name, () => rule.before(ctx));
      continue;
    }
    const ruleCtx = new RuleContext<K>(ctx, fromType, toType);
    const invalidOnEntry = !ruleCtx.transitionUnchanged;
    entered.push({ universal: false, rule, ctx: ruleCtx, invalidOnEntry });
    if (!invalidOnEntry) {
      await guardBefore(ctx, rule.name, () => rule.before(ruleCtx));
    }
  }

  // Validate.
  let pendingError: { error: unknown } | null = null;
  let newState: State | null = null;
  if (ctx.proposedState === null) {
    ctx.validatedState = ctx.initialState;
  } else {
    const state = ctx.proposedState;
    try {
      const flowRunIdOfTask = kind === 'task' ? (run as RunSnapshotOf['task']).flowRunId : null;
      await ports.states.insertState(kind, run.id, flowRunIdOfTask, state);
      run.stateId = state.id;
      newState = copyState(state);
      ctx.validatedState = copyState(state);
    } catch (error) {
      ctx.proposedState = null;
      // The transforms already moved the run's columns to the failed state; put them back.
      Object.assign(run, copyRun(original));
      if (ports.states.isRetryableError(error)) {
        pendingError = { error };
      } else {
        ctx.status = 'ABORT';
        ctx.details = { type: 'abort_details', reason: `Error validating state: ${describeError(error)}` };
      }
    }
  }

  // Exit, in reverse order.
  let exitError: { error: unknown } | null = null;
  for (const entry of entered.reverse()) {
    try {
      if (entry.universal) {
        if (ctx.orchestrationError === null) await entry.transform.after(ctx);
        continue;
      }
      const { rule, ctx: ruleCtx } = entry;
      if (entry.invalidOnEntry || !rule.toStates.has(ruleCtx.toType)) continue;
      if (ruleCtx.transitionUnchanged) {
        await rule.after(ruleCtx, ctx.validatedState);
      } else {
        await rule.cleanup(ruleCtx, ctx.validatedState);
      }
    } catch (error) {
      exitError ??= { error };
    }
  }

  const thrown = ctx.orchestrationError ?? pendingError ?? exitError;
  if (thrown !== null) throw thrown.error;

  return {
    status: ctx.status,
    details: ctx.details,
    state: ctx.validatedState ?? ctx.initialState,
    newState,
    run,
    runChanges: diffRun(original, run),
  };
}

async function guardBefore<K extends RunKind>(
  ctx: OrchestrationContext<K>,
  ruleName: string,
  hook: () => Promise<void> | void,
): Promise<void> {
  try {
    await hook();
  } catch (error) {
    ctx.proposedState = null;
    ctx.status = 'ABORT';
    ctx.details = {
      type: 'abort_details',
      reason: `Aborting orchestration due to error in ${ruleName}: !${describeError(error)}`,
    };
    ctx.orchestrationError ??= { error };
  }
}

/** Python-repr-like text of an error, e.g. `ValueError('boom')`. */
function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}(${JSON.stringify(error.message)})`;
  return String(error);
}
