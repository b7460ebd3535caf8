import type { Instant, State, StateCreate } from '@orrery/domain';
import { orchestrate } from '../engine/orchestrate';
import type { OrchestrationPolicy, RuleClass } from '../engine/orchestration.policy';
import type { OrchestrationResult } from '../engine/orchestration-result';
import type { FlowRunSnapshot, RunKind, RunSnapshotOf, TaskRunSnapshot } from '../engine/run-snapshot';
import type { ApiVersion } from '../support/versions';
import { InMemoryOrchestrationPorts } from './in-memory-orchestration.ports';
import { flowRunFixture, stateFixture, taskRunFixture } from './run-fixtures';

export interface HarnessOptions<K extends RunKind> {
  ports?: InMemoryOrchestrationPorts;
  run?: Partial<RunSnapshotOf[K]>;
  /** The current state: a full State, a StateCreate made into one 10 s before `ports.time`, or none. */
  initial?: State | StateCreate | null;
  initialAt?: Instant;
  proposed: StateCreate;
  force?: boolean;
  apiVersion?: ApiVersion | null;
  clientVersion?: string | null;
  /** A policy, or a list of rules run as one (the global transforms are always appended). */
  policy?: OrchestrationPolicy<K> | RuleClass<K>[];
}

export interface HarnessResult<K extends RunKind> {
  result: OrchestrationResult<K>;
  ports: InMemoryOrchestrationPorts;
  initial: State | null;
  run: RunSnapshotOf[K];
}

/** Orchestrates one transition of a fixture run against in-memory ports (unit tests only). */
export async function orchestrateFixture<K extends RunKind>(
  kind: K,
  options: HarnessOptions<K>,
): Promise<HarnessResult<K>> {
  const ports = options.ports ?? new InMemoryOrchestrationPorts();
  let initial: State | null = null;
  if (options.initial != null) {
    initial =
      'id' in options.initial
        ? (options.initial as State)
        : stateFixture(options.initial, options.initialAt ?? ports.time.minusSeconds(10));
  }
  const base =
    kind === 'flow'
      ? flowRunFixture(options.run as Partial<FlowRunSnapshot>)
      : taskRunFixture(options.run as Partial<TaskRunSnapshot>);
  const run = {
    ...base,
    stateId: initial?.id ?? null,
    stateType: initial?.type ?? null,
    stateName: initial?.name ?? null,
    stateTimestamp: initial?.timestamp ?? null,
    ...options.run,
  } as RunSnapshotOf[K];
  if (initial !== null && !(ports.writtenStates.get(run.id) ?? []).some((s) => s.id === initial.id)) {
    ports.writtenStates.set(run.id, [...(ports.writtenStates.get(run.id) ?? []), initial]);
  }
  const policy =
    options.policy === undefined
      ? undefined
      : Array.isArray(options.policy)
        ? { name: 'TestPolicy', kind, rules: options.policy }
        : options.policy;
  const result = await orchestrate<K>({
    kind,
    run,
    initialState: initial,
    proposed: options.proposed,
    force: options.force ?? false,
    params: { apiVersion: options.apiVersion ?? null, clientVersion: options.clientVersion ?? null },
    ports,
    ...(policy === undefined ? {} : { policy }),
  });
  return { result, ports, initial, run };
}

export const orchestrateFlow = (options: HarnessOptions<'flow'>) => orchestrateFixture('flow', options);
export const orchestrateTask = (options: HarnessOptions<'task'>) => orchestrateFixture('task', options);
