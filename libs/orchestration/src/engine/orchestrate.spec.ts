import { Instant, type State, type StateType } from '@orrery/domain';
import { InMemoryOrchestrationPorts } from '../testing/in-memory-orchestration.ports';
import { flowRunFixture, stateFixture } from '../testing/run-fixtures';
import { orchestrate } from './orchestrate';
import { OrchestrationError } from './orchestration.error';
import type { OrchestrationContext } from './orchestration.context';
import type { OrchestrationPolicy, RuleClass } from './orchestration.policy';
import { OrchestrationRule } from './orchestration.rule';
import type { RuleContext } from './rule.context';
import { ANY_STATE, only, type StateTypeSet } from './state-sets';
import { UniversalTransform } from './universal.transform';

type Hook = (ctx: RuleContext<'flow'>, validated: State | null) => void | Promise<void>;

/** A rule that logs each hook call as `<name>.<hook>` and then runs the given behaviour. */
function rule(
  log: string[],
  name: string,
  from: StateTypeSet,
  to: StateTypeSet,
  hooks: { before?: Hook; after?: Hook; cleanup?: Hook } = {},
): RuleClass<'flow'> {
  return class extends OrchestrationRule<'flow'> {
    readonly name = name;
    readonly fromStates = from;
    readonly toStates = to;
    override async before(ctx: RuleContext<'flow'>): Promise<void> {
      log.push(`${name}.before`);
      await hooks.before?.(ctx, null);
    }
    override async after(ctx: RuleContext<'flow'>, validated: State | null): Promise<void> {
      log.push(`${name}.after`);
      await hooks.after?.(ctx, validated);
    }
    override async cleanup(ctx: RuleContext<'flow'>, validated: State | null): Promise<void> {
      log.push(`${name}.cleanup`);
      await hooks.cleanup?.(ctx, validated);
    }
  };
}

function transform(log: string[], name: string): RuleClass<'flow'> {
  return class extends UniversalTransform<'flow'> {
    readonly name = name;
    override before(ctx: OrchestrationContext<'flow'>): void {
      log.push(`${name}.before(${ctx.proposedState?.type ?? 'null'})`);
    }
    override after(ctx: OrchestrationContext<'flow'>): void {
      log.push(`${name}.after(${ctx.proposedState?.type ?? 'null'})`);
    }
  };
}

function policy(...rules: RuleClass<'flow'>[]): OrchestrationPolicy<'flow'> {
  return { name: 'TestPolicy', kind: 'flow', rules };
}

const T0 = Instant.parse('2026-01-01T00:00:00Z');

async function run(
  p: OrchestrationPolicy<'flow'>,
  from: StateType | null,
  to: StateType,
  ports = new InMemoryOrchestrationPorts(),
) {
  const initialState = from === null ? null : stateFixture({ type: from }, T0.minusSeconds(10));
  const flowRun = flowRunFixture({ stateType: from, stateId: initialState?.id ?? null });
  const result = await orchestrate({
    kind: 'flow',
    run: flowRun,
    initialState,
    proposed: { type: to },
    force: false,
    params: { apiVersion: null, clientVersion: null },
    ports,
    policy: p,
  });
  return { result, ports, initialState, flowRun };
}

describe('orchestrate (engine mechanics, spec-api §4.1)', () => {
  it('accepts when no rule objects: inserts the state, returns it and the run changes', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result, flowRun, initialState } = await run(policy(), 'PENDING', 'RUNNING', ports);
    expect(result.status).toBe('ACCEPT');
    expect(result.details).toEqual({ type: 'accept_details' });
    expect(result.state?.type).toBe('RUNNING');
    expect(result.state?.name).toBe('Running');
    expect(result.state?.timestamp.equals(ports.time)).toBe(true);
    expect(result.newState?.id).toBe(result.state?.id);
    expect(ports.writtenStates.get(flowRun.id)).toHaveLength(1);
    expect(result.runChanges).toMatchObject({ stateId: result.state?.id, stateType: 'RUNNING', runCount: 1 });
    // The caller's run object is not changed.
    expect(flowRun.stateType).toBe('PENDING');
    expect(flowRun.runCount).toBe(0);
    expect(initialState?.type).toBe('PENDING');
  });

  it('compiles only rules whose FROM and TO sets contain the intended transition', async () => {
    const log: string[] = [];
    await run(
      policy(
        rule(log, 'FromScheduled', only('SCHEDULED'), ANY_STATE),
        rule(log, 'ToCompleted', ANY_STATE, only('COMPLETED')),
        rule(log, 'FromNone', only(null), ANY_STATE),
        rule(log, 'Matches', only('RUNNING'), only('FAILED')),
      ),
      'RUNNING',
      'FAILED',
    );
    expect(log).toEqual(['Matches.before', 'Matches.after']);
  });

  it('enters in order and exits in reverse order', async () => {
    const log: string[] = [];
    await run(
      policy(rule(log, 'A', ANY_STATE, ANY_STATE), transform(log, 'U'), rule(log, 'B', ANY_STATE, ANY_STATE)),
      'PENDING',
      'RUNNING',
    );
    expect(log).toEqual([
      'A.before',
      'U.before(RUNNING)',
      'B.before',
      'B.after',
      'U.after(RUNNING)',
      'A.after',
    ]);
  });

  it('skips later rules once an earlier rule changed the transition, but universal transforms still run', async () => {
    const log: string[] = [];
    const { result } = await run(
      policy(
        rule(log, 'Aborter', ANY_STATE, only('RUNNING'), { before: (ctx) => ctx.abort('no') }),
        rule(log, 'Later', ANY_STATE, only('RUNNING')),
        transform(log, 'U'),
      ),
      'PENDING',
      'RUNNING',
    );
    expect(result.status).toBe('ABORT');
    expect(result.details).toEqual({ type: 'abort_details', reason: 'no' });
    // Aborter's own TO no longer holds its (now null) proposed type: nothing runs on exit.
    expect(log).toEqual(['Aborter.before', 'U.before(null)', 'U.after(null)']);
    expect(result.state?.type).toBe('PENDING');
    expect(result.newState).toBeNull();
  });

  it('runs cleanup of an earlier rule when a later rule changes the transition', async () => {
    const log: string[] = [];
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await run(
      policy(
        rule(log, 'Taker', ANY_STATE, only('PENDING')),
        rule(log, 'Rejecter', ANY_STATE, only('PENDING'), {
          before: (ctx) =>
            ctx.reject(ctx.newState({ type: 'SCHEDULED', name: 'AwaitingConcurrencySlot' }), 'full'),
        }),
      ),
      'SCHEDULED',
      'PENDING',
      ports,
    );
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'full' });
    expect(result.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingConcurrencySlot' });
    expect(log).toEqual(['Taker.before', 'Rejecter.before', 'Taker.cleanup']);
  });

  it('a rename keeps the rule valid and later rules running', async () => {
    const log: string[] = [];
    const { result } = await run(
      policy(
        rule(log, 'Renamer', ANY_STATE, only('RUNNING'), { before: (ctx) => ctx.rename('Retrying') }),
        rule(log, 'Later', ANY_STATE, only('RUNNING')),
      ),
      'SCHEDULED',
      'RUNNING',
    );
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.name).toBe('Retrying');
    expect(log).toEqual(['Renamer.before', 'Later.before', 'Later.after', 'Renamer.after']);
  });

  it('the last writer wins the status and details', async () => {
    const log: string[] = [];
    const { result } = await run(
      policy(
        // Rejecting with a state of the same type leaves the transition as it was…
        rule(log, 'SameType', ANY_STATE, only('COMPLETED'), {
          before: (ctx) => ctx.reject(ctx.proposedState, 'first'),
        }),
        // …so a later rule still applies and overwrites the answer.
        rule(log, 'Waiter', ANY_STATE, only('COMPLETED'), { before: (ctx) => ctx.wait(7, 'second') }),
      ),
      'RUNNING',
      'COMPLETED',
    );
    expect(result.status).toBe('WAIT');
    expect(result.details).toEqual({ type: 'wait_details', delaySeconds: 7, reason: 'second' });
    expect(result.state?.type).toBe('RUNNING');
    expect(log).toEqual(['SameType.before', 'Waiter.before', 'SameType.cleanup']);
  });

  it('runs the after hook of an "any"-TO rule that nulled the transition itself', async () => {
    const log: string[] = [];
    let seen: State | null = null;
    const { result, initialState } = await run(
      policy(
        rule(log, 'AnyTo', only('PAUSED'), ANY_STATE, {
          before: (ctx) => ctx.reject(null, 'no'),
          after: (_ctx, validated) => {
            seen = validated;
          },
        }),
        rule(log, 'OnlyRunning', ANY_STATE, only('RUNNING')),
      ),
      'PAUSED',
      'RUNNING',
    );
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'no' });
    expect(result.state?.id).toBe(initialState?.id);
    expect(log).toEqual(['AnyTo.before', 'AnyTo.after']);
    expect(seen).not.toBeNull();
    expect(seen!.id).toBe(initialState?.id);
  });

  it('an exception in a before hook aborts, unwinds every entered rule, then re-throws', async () => {
    const log: string[] = [];
    const boom = new Error('boom');
    const ports = new InMemoryOrchestrationPorts();
    const promise = run(
      policy(
        rule(log, 'First', ANY_STATE, ANY_STATE),
        transform(log, 'U'),
        rule(log, 'Thrower', ANY_STATE, ANY_STATE, {
          before: () => {
            throw boom;
          },
        }),
        rule(log, 'Later', ANY_STATE, ANY_STATE),
      ),
      'PENDING',
      'RUNNING',
      ports,
    );
    await expect(promise).rejects.toBe(boom);
    // Both rules that entered clean up (the transition is now null); universal after hooks are skipped.
    expect(log).toEqual([
      'First.before',
      'U.before(RUNNING)',
      'Thrower.before',
      'Thrower.cleanup',
      'First.cleanup',
    ]);
    expect(ports.writtenStates.size).toBe(0);
  });

  it('records the abort reason of a before-hook error in Prefect form', async () => {
    let captured: OrchestrationContext<'flow'> | null = null;
    const Capture = class extends UniversalTransform<'flow'> {
      readonly name = 'Capture';
      override before(ctx: OrchestrationContext<'flow'>): void {
        captured = ctx;
      }
    };
    const Thrower = rule([], 'Thrower', ANY_STATE, ANY_STATE, {
      before: () => {
        throw new TypeError('bad');
      },
    });
    await expect(run(policy(Capture, Thrower), 'PENDING', 'RUNNING')).rejects.toThrow('bad');
    expect(captured!.status).toBe('ABORT');
    expect(captured!.details).toEqual({
      type: 'abort_details',
      reason: 'Aborting orchestration due to error in Thrower: !TypeError("bad")',
    });
  });

  it('refuses to reject without a state a run that has none (ABORT, then the error is thrown)', async () => {
    const Rejecter = rule([], 'Rejecter', ANY_STATE, ANY_STATE, { before: (ctx) => ctx.reject(null, 'x') });
    await expect(run(policy(Rejecter), null, 'PENDING')).rejects.toBeInstanceOf(OrchestrationError);
  });

  it('turns a validation error into ABORT "Error validating state: …" and restores the run', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.insertError = new Error('constraint violated');
    const log: string[] = [];
    const { result, initialState } = await run(
      policy(rule(log, 'A', ANY_STATE, only('RUNNING'))),
      'PENDING',
      'RUNNING',
      ports,
    );
    expect(result.status).toBe('ABORT');
    expect(result.details).toEqual({
      type: 'abort_details',
      reason: 'Error validating state: Error("constraint violated")',
    });
    expect(result.state?.id).toBe(initialState?.id);
    expect(result.runChanges).toEqual({});
    expect(log).toEqual(['A.before', 'A.cleanup']);
  });

  it('re-throws a retryable validation error (the API answers 503)', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const lost = new Error('connection lost');
    ports.insertError = lost;
    ports.retryableErrors.add(lost);
    await expect(run(policy(), 'PENDING', 'RUNNING', ports)).rejects.toBe(lost);
  });

  it('re-throws an after-hook error once every other rule has exited', async () => {
    const log: string[] = [];
    const failure = new Error('after failed');
    const promise = run(
      policy(
        rule(log, 'Outer', ANY_STATE, ANY_STATE),
        rule(log, 'Inner', ANY_STATE, ANY_STATE, {
          after: () => {
            throw failure;
          },
        }),
      ),
      'PENDING',
      'RUNNING',
    );
    await expect(promise).rejects.toBe(failure);
    expect(log).toEqual(['Outer.before', 'Inner.before', 'Inner.after', 'Outer.after']);
  });

  it('promotes the proposal: default name, scheduled_time now for SCHEDULED, run ids overwritten', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const flowRun = flowRunFixture();
    const result = await orchestrate({
      kind: 'flow',
      run: flowRun,
      initialState: null,
      proposed: { type: 'SCHEDULED', stateDetails: { flowRunId: 'not-mine', taskRunId: null } },
      force: true,
      params: { apiVersion: null, clientVersion: null },
      ports,
    });
    expect(result.state).toMatchObject({ type: 'SCHEDULED', name: 'Scheduled', message: null, data: null });
    expect(result.state?.stateDetails.scheduledTime?.equals(ports.time)).toBe(true);
    expect(result.state?.stateDetails.flowRunId).toBe(flowRun.id);
    expect(result.state?.id).toMatch(/^00000000-0000-7000-8000-/);
  });
});

describe('orchestrate: universal transform errors (deliberate difference from upstream)', () => {
  it('an exception in a universal before hook also aborts, unwinds and re-throws', async () => {
    const log: string[] = [];
    const failure = new Error('transform failed');
    const Failing = class extends UniversalTransform<'flow'> {
      readonly name = 'Failing';
      override before(): void {
        throw failure;
      }
      override after(): void {
        log.push('Failing.after');
      }
    };
    await expect(
      run(policy(rule(log, 'First', ANY_STATE, ANY_STATE), Failing), 'PENDING', 'RUNNING'),
    ).rejects.toBe(failure);
    expect(log).toEqual(['First.before', 'First.cleanup']);
  });
});
