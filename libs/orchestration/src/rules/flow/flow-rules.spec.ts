import { defaultFlowRunPolicy } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleClass } from '../../engine/orchestration.policy';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only, type StateTypeSet } from '../../engine/state-sets';
import { InMemoryOrchestrationPorts } from '../../testing/in-memory-orchestration.ports';
import { orchestrateFlow } from '../../testing/orchestrate.harness';
import { CopyScheduledTimeRule } from '../shared/copy-scheduled-time.rule';
import { EnforceCancellingToCancelledTransitionRule } from '../shared/enforce-cancelling-to-cancelled-transition.rule';
import { PreventPendingTransitionsRule } from '../shared/prevent-pending-transitions.rule';
import { WaitForScheduledTimeRule, wholeSecondsUntil } from '../shared/wait-for-scheduled-time.rule';
import { BypassCancellingFlowRunsWithNoInfraRule } from './bypass-cancelling-flow-runs-with-no-infra.rule';
import { EnforceDeploymentConcurrencyOnLateRule } from './enforce-deployment-concurrency-on-late.rule';
import { EnsureOnlyScheduledFlowsMarkedLateRule } from './ensure-only-scheduled-flows-marked-late.rule';
import { HandleFlowTerminalStateTransitionsRule } from './handle-flow-terminal-state-transitions.rule';
import { HandlePausingFlowsRule } from './handle-pausing-flows.rule';
import { HandleResumingPausedFlowsRule } from './handle-resuming-paused-flows.rule';
import { InstrumentFlowRunStateTransitionsTransform } from './instrument-flow-run-state-transitions.transform';
import { PreserveDeploymentConcurrencyLeaseIdTransform } from './preserve-deployment-concurrency-lease-id.transform';
import { PreventDuplicateTransitionsRule } from './prevent-duplicate-transitions.rule';
import { PreventResultDataLossRule } from './prevent-result-data-loss.rule';
import { ReleaseFlowConcurrencySlotsTransform } from './release-flow-concurrency-slots.transform';
import { RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule } from './remove-deployment-concurrency-lease-for-old-client-versions.rule';
import { RetryFailedFlowsRule } from './retry-failed-flows.rule';
import { SecureFlowConcurrencySlotsRule } from './secure-flow-concurrency-slots.rule';
import { ValidateDeploymentConcurrencyAtRunningRule } from './validate-deployment-concurrency-at-running.rule';

const DEPLOYMENT = 'dddddddd-dddd-7ddd-8ddd-dddddddddddd';
const PERSISTED = { storage_key: 'results/abc', serializer: { type: 'pickle' } };

/** A rule placed after the one under test that rejects into another state type (to trigger cleanup). */
function laterRejecter(from: StateTypeSet, to: StateTypeSet): RuleClass<'flow'> {
  return class extends OrchestrationRule<'flow'> {
    readonly name = 'LaterRejecter';
    readonly fromStates = from;
    readonly toStates = to;
    override before(ctx: RuleContext<'flow'>): void {
      ctx.reject(ctx.newState({ type: 'CANCELLED' }), 'later');
    }
  };
}

describe('PreserveDeploymentConcurrencyLeaseId', () => {
  it('carries the lease id forward when the proposal has none', async () => {
    const { result } = await orchestrateFlow({
      policy: [PreserveDeploymentConcurrencyLeaseIdTransform],
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: 'lease-1' } },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.stateDetails.deploymentConcurrencyLeaseId).toBe('lease-1');
  });

  it("keeps the proposal's own lease id", async () => {
    const { result } = await orchestrateFlow({
      policy: [PreserveDeploymentConcurrencyLeaseIdTransform],
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: 'lease-1' } },
      proposed: { type: 'RUNNING', stateDetails: { deploymentConcurrencyLeaseId: 'lease-2' } },
    });
    expect(result.state?.stateDetails.deploymentConcurrencyLeaseId).toBe('lease-2');
  });
});

describe('PreventDuplicateTransitions', () => {
  it('rejects, keeping the current state, a proposal with the same transition id', async () => {
    const { result, initial } = await orchestrateFlow({
      policy: [PreventDuplicateTransitionsRule],
      initial: { type: 'RUNNING', stateDetails: { transitionId: 't-1' } },
      proposed: { type: 'COMPLETED', stateDetails: { transitionId: 't-1' } },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'This run has already made this state transition.',
    });
    expect(result.state?.id).toBe(initial?.id);
    expect(result.newState).toBeNull();
  });

  it('accepts a different or absent transition id', async () => {
    for (const transitionId of ['t-2', null]) {
      const { result } = await orchestrateFlow({
        policy: [PreventDuplicateTransitionsRule],
        initial: { type: 'RUNNING', stateDetails: { transitionId: 't-1' } },
        proposed: { type: 'COMPLETED', stateDetails: { transitionId } },
      });
      expect(result.status).toBe('ACCEPT');
    }
  });
});

describe('HandleFlowTerminalStateTransitions', () => {
  const rules = [HandleFlowTerminalStateTransitionsRule];

  it.each(['CANCELLING', 'PAUSED', 'CRASHED'] as const)('aborts COMPLETED → %s', async (type) => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'COMPLETED' },
      proposed: { type },
    });
    expect(result.status).toBe('ABORT');
    expect(result.details).toEqual({
      type: 'abort_details',
      reason: 'Run is already in terminal state COMPLETED.',
    });
  });

  it('rejects leaving a COMPLETED state with a persisted result', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'COMPLETED', data: PERSISTED },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'Run is already COMPLETED.' });
  });

  it('rejects COMPLETED(persisted) → COMPLETED without a persisted result, allows one with', async () => {
    const lossy = await orchestrateFlow({
      policy: rules,
      initial: { type: 'COMPLETED', data: PERSISTED },
      proposed: { type: 'COMPLETED', data: { type: 'unpersisted' } },
    });
    expect(lossy.result.status).toBe('REJECT');
    expect(lossy.result.details).toEqual({
      type: 'reject_details',
      reason: 'Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.',
    });
    const kept = await orchestrateFlow({
      policy: rules,
      initial: { type: 'COMPLETED', data: PERSISTED },
      proposed: { type: 'COMPLETED', data: PERSISTED },
    });
    expect(kept.result.status).toBe('ACCEPT');
  });

  it('aborts rescheduling a run without a deployment', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'FAILED' },
      proposed: { type: 'SCHEDULED' },
    });
    expect(result.status).toBe('ABORT');
    expect(result.details).toEqual({
      type: 'abort_details',
      reason: 'Cannot reschedule a run without an associated deployment.',
    });
  });

  it('resets pause bookkeeping and records the retry type on a rerun', async () => {
    const policy = {
      ...defaultFlowRunPolicy(),
      resuming: true,
      pauseKeys: ['k'],
      retryType: 'in_process' as const,
    };
    const rescheduled = await orchestrateFlow({
      policy: rules,
      run: { deploymentId: DEPLOYMENT, empiricalPolicy: policy },
      initial: { type: 'FAILED' },
      proposed: { type: 'SCHEDULED' },
    });
    expect(rescheduled.result.status).toBe('ACCEPT');
    expect(rescheduled.result.run.empiricalPolicy).toMatchObject({
      resuming: false,
      pauseKeys: [],
      retryType: 'reschedule',
    });
    const rerun = await orchestrateFlow({
      policy: rules,
      run: { empiricalPolicy: policy },
      initial: { type: 'COMPLETED', data: { type: 'unpersisted' } },
      proposed: { type: 'RUNNING' },
    });
    expect(rerun.result.status).toBe('ACCEPT');
    expect(rerun.result.run.empiricalPolicy).toMatchObject({
      resuming: false,
      pauseKeys: [],
      retryType: null,
    });
  });

  it('leaves the policy alone for API versions before 0.8.4', async () => {
    const policy = { ...defaultFlowRunPolicy(), pauseKeys: ['k'] };
    const { result } = await orchestrateFlow({
      policy: rules,
      run: { empiricalPolicy: policy },
      initial: { type: 'FAILED' },
      proposed: { type: 'RUNNING' },
      apiVersion: [0, 8, 3],
    });
    expect(result.run.empiricalPolicy.pauseKeys).toEqual(['k']);
  });

  it('restores the policy when a later rule changes the transition', async () => {
    const policy = { ...defaultFlowRunPolicy(), pauseKeys: ['k'], retryType: 'in_process' as const };
    const { result } = await orchestrateFlow({
      policy: [HandleFlowTerminalStateTransitionsRule, laterRejecter(ANY_STATE, only('RUNNING'))],
      run: { empiricalPolicy: policy },
      initial: { type: 'FAILED' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.type).toBe('CANCELLED');
    expect(result.run.empiricalPolicy).toEqual(policy);
    expect(result.runChanges.empiricalPolicy).toBeUndefined();
  });
});

describe('EnforceCancellingToCancelledTransition', () => {
  it('rejects CANCELLING → anything but CANCELLED', async () => {
    const { result } = await orchestrateFlow({
      policy: [EnforceCancellingToCancelledTransitionRule],
      initial: { type: 'CANCELLING' },
      proposed: { type: 'COMPLETED' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Cannot transition flows that are cancelling to a state other than Cancelled.',
    });
  });

  it('accepts CANCELLING → CANCELLED', async () => {
    const { result } = await orchestrateFlow({
      policy: [EnforceCancellingToCancelledTransitionRule],
      initial: { type: 'CANCELLING' },
      proposed: { type: 'CANCELLED' },
    });
    expect(result.status).toBe('ACCEPT');
  });
});

describe('BypassCancellingFlowRunsWithNoInfra', () => {
  const rules = [BypassCancellingFlowRunsWithNoInfraRule];

  it('cancels a scheduled run with no infrastructure outright', async () => {
    const { result, ports } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'CANCELLING' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Scheduled flow run has no infrastructure to terminate.',
    });
    expect(result.state).toMatchObject({ type: 'CANCELLED', name: 'Cancelled' });
    expect(result.state?.timestamp.equals(ports.time)).toBe(true);
    expect(result.newState?.type).toBe('CANCELLED');
  });

  it('lets a submitted scheduled run go through CANCELLING', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      run: { infrastructurePid: '1234' },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'CANCELLING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.type).toBe('CANCELLING');
  });

  it('cancels a Resuming run and a suspended run outright, not an in-process pause', async () => {
    const resuming = await orchestrateFlow({
      policy: rules,
      run: { infrastructurePid: '1234' },
      initial: { type: 'SCHEDULED', name: 'Resuming' },
      proposed: { type: 'CANCELLING' },
    });
    expect(resuming.result.state?.type).toBe('CANCELLED');
    const suspended = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PAUSED', name: 'Suspended', stateDetails: { pauseReschedule: true } },
      proposed: { type: 'CANCELLING' },
    });
    expect(suspended.result.details).toEqual({
      type: 'reject_details',
      reason: 'Suspended flow run has no infrastructure to terminate.',
    });
    expect(suspended.result.state?.type).toBe('CANCELLED');
    const paused = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PAUSED' },
      proposed: { type: 'CANCELLING' },
    });
    expect(paused.result.status).toBe('ACCEPT');
  });
});

describe('PreventPendingTransitions', () => {
  it.each(['PENDING', 'RUNNING', 'CANCELLING', 'CANCELLED'] as const)('aborts %s → Pending', async (type) => {
    const { result } = await orchestrateFlow({
      policy: [PreventPendingTransitionsRule],
      initial: { type },
      proposed: { type: 'PENDING' },
    });
    expect(result.status).toBe('ABORT');
    expect(result.details).toEqual({
      type: 'abort_details',
      reason: `This run is in a ${type} state and cannot transition to a PENDING state.`,
    });
  });

  it('allows Pending → Submitting, carrying scheduled time and lease', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const scheduledTime = ports.time.minusSeconds(30);
    const { result } = await orchestrateFlow({
      ports,
      policy: [PreventPendingTransitionsRule],
      initial: { type: 'PENDING', stateDetails: { scheduledTime, deploymentConcurrencyLeaseId: 'lease-1' } },
      proposed: { type: 'PENDING', name: 'Submitting' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.name).toBe('Submitting');
    expect(result.state?.stateDetails.scheduledTime).toBe(scheduledTime);
    expect(result.state?.stateDetails.deploymentConcurrencyLeaseId).toBe('lease-1');
  });

  it('does not apply to SCHEDULED → PENDING', async () => {
    const { result } = await orchestrateFlow({
      policy: [PreventPendingTransitionsRule],
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.status).toBe('ACCEPT');
  });
});

describe('SecureFlowConcurrencySlots', () => {
  const rules = [SecureFlowConcurrencySlotsRule];

  it('passes runs without a deployment, and workers that manage slots themselves', async () => {
    const plain = await orchestrateFlow({
      policy: rules,
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(plain.result.status).toBe('ACCEPT');
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 1)!;
    const old = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
      clientVersion: '3.0.2',
    });
    expect(old.result.status).toBe('ACCEPT');
    expect(ports.limits.get(limitId)?.activeSlots).toBe(0);
  });

  it('aborts when the deployment is gone or its limit is 0', async () => {
    const gone = await orchestrateFlow({
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(gone.result.details).toEqual({ type: 'abort_details', reason: 'Deployment not found.' });
    const ports = new InMemoryOrchestrationPorts();
    ports.addDeployment(DEPLOYMENT, 0);
    const zero = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(zero.result.details).toEqual({
      type: 'abort_details',
      reason: 'The deployment concurrency limit is 0. The flow will deadlock if submitted again.',
    });
  });

  it('passes a deployment without a limit', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addDeployment(DEPLOYMENT);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.stateDetails.deploymentConcurrencyLeaseId).toBeNull();
  });

  it('takes a slot under a lease that lives for the grace period', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 2, {
      collisionStrategy: 'ENQUEUE',
      gracePeriodSeconds: 120,
    })!;
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.status).toBe('ACCEPT');
    const leaseId = result.state?.stateDetails.deploymentConcurrencyLeaseId;
    expect(leaseId).not.toBeNull();
    const lease = ports.leaseRows.get(leaseId!);
    expect(lease).toMatchObject({ resourceIds: [limitId], slots: 1, holder: null });
    expect(lease?.expiration.secondsSince(ports.time)).toBe(120);
    expect(ports.limits.get(limitId)?.activeSlots).toBe(1);
  });

  it('defaults the lease to the initial deployment lease duration (300 s)', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addDeployment(DEPLOYMENT, 1);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: null,
      proposed: { type: 'PENDING' },
    });
    const lease = ports.leaseRows.get(result.state!.stateDetails.deploymentConcurrencyLeaseId!);
    expect(lease?.expiration.secondsSince(ports.time)).toBe(300);
  });

  it('sends the run back to wait when full (ENQUEUE, also the default)', async () => {
    for (const options of [null, { collisionStrategy: 'ENQUEUE' as const, gracePeriodSeconds: null }]) {
      const ports = new InMemoryOrchestrationPorts();
      const limitId = ports.addDeployment(DEPLOYMENT, 1, options)!;
      ports.limits.get(limitId)!.activeSlots = 1;
      const { result } = await orchestrateFlow({
        ports,
        policy: rules,
        run: { deploymentId: DEPLOYMENT },
        initial: { type: 'SCHEDULED' },
        proposed: { type: 'PENDING' },
      });
      expect(result.status).toBe('REJECT');
      expect(result.details).toEqual({
        type: 'reject_details',
        reason: 'Deployment concurrency limit reached.',
      });
      expect(result.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingConcurrencySlot' });
      expect(result.state?.stateDetails.scheduledTime?.secondsSince(ports.time)).toBe(30);
    }
  });

  it('cancels the run when full and the strategy is CANCEL_NEW', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 1, {
      collisionStrategy: 'CANCEL_NEW',
      gracePeriodSeconds: null,
    })!;
    ports.limits.get(limitId)!.activeSlots = 1;
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.state).toMatchObject({
      type: 'CANCELLED',
      message: 'Deployment concurrency limit reached.',
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Deployment concurrency limit reached.',
    });
  });

  it('gives the slot back and revokes the lease when a later rule changes the transition', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 1)!;
    const { result } = await orchestrateFlow({
      ports,
      policy: [SecureFlowConcurrencySlotsRule, laterRejecter(ANY_STATE, only('PENDING'))],
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.state?.type).toBe('CANCELLED');
    expect(ports.limits.get(limitId)?.activeSlots).toBe(0);
    expect(ports.leaseRows.size).toBe(0);
  });
});

describe('ValidateDeploymentConcurrencyAtRunning', () => {
  const rules = [ValidateDeploymentConcurrencyAtRunningRule];

  async function setUp(leaseExpired: boolean, limitFull = false) {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 1)!;
    const lease = await ports.leases.createLease({
      resourceIds: [limitId],
      ttlSeconds: 300,
      slots: 1,
      holder: null,
    });
    ports.limits.get(limitId)!.activeSlots = 1;
    if (leaseExpired) {
      ports.leaseRows.delete(lease.id);
      if (!limitFull) ports.limits.get(limitId)!.activeSlots = 0;
    }
    return { ports, limitId, leaseId: lease.id };
  }

  it('copies the lease id and, for old clients, does nothing else', async () => {
    const { ports, leaseId } = await setUp(true);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: leaseId } },
      proposed: { type: 'RUNNING' },
      clientVersion: '3.4.10',
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.stateDetails.deploymentConcurrencyLeaseId).toBe(leaseId);
  });

  it('renews a live lease for the grace period', async () => {
    const { ports, leaseId } = await setUp(false);
    ports.advance(100);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: leaseId } },
      proposed: { type: 'RUNNING' },
      clientVersion: '3.4.11',
    });
    expect(result.status).toBe('ACCEPT');
    expect(ports.leaseRows.get(leaseId)?.expiration.secondsSince(ports.time)).toBe(300);
  });

  it('takes a slot again under a new lease when the old one was reaped', async () => {
    const { ports, limitId, leaseId } = await setUp(true);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: leaseId } },
      proposed: { type: 'RUNNING' },
      clientVersion: '3.5.0',
    });
    expect(result.status).toBe('ACCEPT');
    const newLeaseId = result.state?.stateDetails.deploymentConcurrencyLeaseId;
    expect(newLeaseId).not.toBe(leaseId);
    expect(ports.leaseRows.get(newLeaseId!)?.holder).toEqual({ type: 'flow_run', id: result.run.id });
    expect(ports.limits.get(limitId)?.activeSlots).toBe(1);
  });

  it('cancels the run when the lease was reaped and no slot is left', async () => {
    const { ports, leaseId } = await setUp(true, true);
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: leaseId } },
      proposed: { type: 'RUNNING' },
      clientVersion: '3.5.0',
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Deployment concurrency limit reached after lease expiry.',
    });
    expect(result.state).toMatchObject({
      type: 'CANCELLED',
      message:
        'Deployment concurrency slot lost during provisioning - no slots available to continue execution',
    });
  });
});

describe('RemoveDeploymentConcurrencyLeaseForOldClientVersions', () => {
  it('revokes the lease record for old or unknown clients, keeps the slot', async () => {
    for (const clientVersion of [null, '3.4.10']) {
      const ports = new InMemoryOrchestrationPorts();
      const limitId = ports.addDeployment(DEPLOYMENT, 1)!;
      ports.limits.get(limitId)!.activeSlots = 1;
      const lease = await ports.leases.createLease({
        resourceIds: [limitId],
        ttlSeconds: 300,
        slots: 1,
        holder: null,
      });
      await orchestrateFlow({
        ports,
        policy: [RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule],
        run: { deploymentId: DEPLOYMENT },
        initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: lease.id } },
        proposed: { type: 'RUNNING' },
        clientVersion,
      });
      expect(ports.leaseRows.has(lease.id)).toBe(false);
      expect(ports.limits.get(limitId)?.activeSlots).toBe(1);
    }
  });

  it('keeps the lease of clients that renew it', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const lease = await ports.leases.createLease({
      resourceIds: [],
      ttlSeconds: 300,
      slots: 1,
      holder: null,
    });
    await orchestrateFlow({
      ports,
      policy: [RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule],
      initial: { type: 'PENDING', stateDetails: { deploymentConcurrencyLeaseId: lease.id } },
      proposed: { type: 'CANCELLING' },
      clientVersion: '3.4.11',
    });
    expect(ports.leaseRows.has(lease.id)).toBe(true);
  });
});

describe('EnsureOnlyScheduledFlowsMarkedLate', () => {
  const rules = [EnsureOnlyScheduledFlowsMarkedLateRule];

  it('marks a Scheduled run late', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'SCHEDULED', name: 'Late' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.name).toBe('Late');
  });

  it('rejects marking a non-scheduled run late', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'RUNNING' },
      proposed: { type: 'SCHEDULED', name: 'Late' },
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Only scheduled flows can be marked late.',
    });
  });

  it('rejects marking a Late run late again', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'SCHEDULED', name: 'Late' },
      proposed: { type: 'SCHEDULED', name: 'Late' },
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'This flow run is already marked late.',
    });
  });

  it('ignores other SCHEDULED proposals', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'RUNNING' },
      proposed: { type: 'SCHEDULED', name: 'AwaitingRetry' },
    });
    expect(result.status).toBe('ACCEPT');
  });
});

describe('EnforceDeploymentConcurrencyOnLate', () => {
  async function markLate(strategy: 'ENQUEUE' | 'CANCEL_NEW', activeSlots: number) {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 1, {
      collisionStrategy: strategy,
      gracePeriodSeconds: null,
    })!;
    ports.limits.get(limitId)!.activeSlots = activeSlots;
    return orchestrateFlow({
      ports,
      policy: [EnforceDeploymentConcurrencyOnLateRule],
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'SCHEDULED', name: 'Late' },
    });
  }

  it('cancels a late run of a full CANCEL_NEW deployment', async () => {
    const { result } = await markLate('CANCEL_NEW', 1);
    expect(result.state).toMatchObject({
      type: 'CANCELLED',
      message: 'Deployment concurrency limit reached.',
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Deployment concurrency limit is full and uses the CANCEL_NEW strategy.',
    });
  });

  it('leaves ENQUEUE deployments and free limits alone', async () => {
    expect((await markLate('ENQUEUE', 1)).result.state?.name).toBe('Late');
    expect((await markLate('CANCEL_NEW', 0)).result.state?.name).toBe('Late');
  });
});

describe('HandlePausingFlows', () => {
  const rules = [HandlePausingFlowsRule];

  it('aborts pausing a run with no state', async () => {
    const { result } = await orchestrateFlow({ policy: rules, initial: null, proposed: { type: 'PAUSED' } });
    expect(result.details).toEqual({ type: 'abort_details', reason: 'Cannot pause flows with no state.' });
  });

  it('rejects pausing a run that is not running', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PENDING' },
      proposed: { type: 'PAUSED', name: 'Suspended' },
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Cannot suspend flows that are not currently running.',
    });
  });

  it('records the pause key once the run is paused, and rejects the same key again', async () => {
    const first = await orchestrateFlow({
      policy: rules,
      initial: { type: 'RUNNING' },
      proposed: { type: 'PAUSED', stateDetails: { pauseKey: 'k1' } },
    });
    expect(first.result.status).toBe('ACCEPT');
    expect(first.result.runChanges.empiricalPolicy?.pauseKeys).toEqual(['k1']);
    const again = await orchestrateFlow({
      policy: rules,
      run: { empiricalPolicy: first.result.run.empiricalPolicy },
      initial: { type: 'RUNNING' },
      proposed: { type: 'PAUSED', stateDetails: { pauseKey: 'k1' } },
    });
    expect(again.result.details).toEqual({ type: 'reject_details', reason: 'This pause has already fired.' });
  });

  it('uses a random key when none is given', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'RUNNING' },
      proposed: { type: 'PAUSED' },
    });
    expect(result.run.empiricalPolicy.pauseKeys).toHaveLength(1);
    expect(result.run.empiricalPolicy.pauseKeys[0]).toMatch(/^00000000-0000-4000-8000-/);
  });

  it('aborts suspending a subflow or a run without a deployment', async () => {
    const subflow = await orchestrateFlow({
      policy: rules,
      run: { parentTaskRunId: 'parent', deploymentId: DEPLOYMENT },
      initial: { type: 'RUNNING' },
      proposed: { type: 'PAUSED', name: 'Suspended', stateDetails: { pauseReschedule: true } },
    });
    expect(subflow.result.details).toEqual({ type: 'abort_details', reason: 'Cannot suspend subflows.' });
    const adHoc = await orchestrateFlow({
      policy: rules,
      initial: { type: 'RUNNING' },
      proposed: { type: 'PAUSED', name: 'Suspended', stateDetails: { pauseReschedule: true } },
    });
    expect(adHoc.result.details).toEqual({
      type: 'abort_details',
      reason: 'Cannot suspend flows without a deployment.',
    });
    expect(adHoc.result.run.empiricalPolicy.pauseKeys).toEqual([]);
  });
});

describe('HandleResumingPausedFlows', () => {
  const rules = [HandleResumingPausedFlowsRule];

  it('accepts a resume and marks the run as resuming', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PAUSED' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.run.empiricalPolicy.resuming).toBe(true);
  });

  it('rejects other targets, and still marks the run as resuming (its TO set is "any")', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PAUSED' },
      proposed: { type: 'PENDING' },
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'This run cannot transition to the PENDING state from the PAUSED state.',
    });
    expect(result.run.empiricalPolicy.resuming).toBe(true);
  });

  it('rejects rescheduling a suspended run without a deployment', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      initial: { type: 'PAUSED', name: 'Suspended', stateDetails: { pauseReschedule: true } },
      proposed: { type: 'SCHEDULED', name: 'Resuming' },
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Cannot reschedule a resuming flow run without a deployment.',
    });
  });

  it('fails a run whose pause timed out', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      initial: { type: 'PAUSED', stateDetails: { pauseTimeout: ports.time.minusSeconds(1) } },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.state).toMatchObject({
      type: 'FAILED',
      message: 'The flow was running and never resumed.',
    });
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'The flow run pause has timed out and can no longer resume.',
    });
  });
});

describe('CopyScheduledTime and WaitForScheduledTime', () => {
  it('copies the scheduled time onto the PENDING state unless it has one', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const scheduledTime = ports.time.plusSeconds(60);
    const { result } = await orchestrateFlow({
      ports,
      policy: [CopyScheduledTimeRule],
      initial: { type: 'SCHEDULED', stateDetails: { scheduledTime } },
      proposed: { type: 'PENDING' },
    });
    expect(result.state?.stateDetails.scheduledTime).toBe(scheduledTime);
    const own = ports.time.plusSeconds(5);
    const kept = await orchestrateFlow({
      policy: [CopyScheduledTimeRule],
      initial: { type: 'SCHEDULED', stateDetails: { scheduledTime } },
      proposed: { type: 'PENDING', stateDetails: { scheduledTime: own } },
    });
    expect(kept.result.state?.stateDetails.scheduledTime).toBe(own);
  });

  it('makes a run wait, in whole seconds, until its scheduled time', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result, initial } = await orchestrateFlow({
      ports,
      policy: [WaitForScheduledTimeRule],
      initial: { type: 'PENDING', stateDetails: { scheduledTime: ports.time.plusSeconds(4.6) } },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('WAIT');
    expect(result.details).toEqual({
      type: 'wait_details',
      delaySeconds: 5,
      reason: 'Scheduled time is in the future',
    });
    expect(result.state?.id).toBe(initial?.id);
  });

  it('lets a run start at or after its scheduled time', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await orchestrateFlow({
      ports,
      policy: [WaitForScheduledTimeRule],
      initial: { type: 'SCHEDULED', stateDetails: { scheduledTime: ports.time.plusSeconds(0.4) } },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
  });

  it('rounds like Prefect: floor plus the fraction rounded half to even', () => {
    expect(wholeSecondsUntil(4_600_000)).toBe(5);
    expect(wholeSecondsUntil(4_500_000)).toBe(4);
    expect(wholeSecondsUntil(4_400_000)).toBe(4);
    expect(wholeSecondsUntil(-400_000)).toBe(0);
    expect(wholeSecondsUntil(-1_600_000)).toBe(-2);
  });
});

describe('RetryFailedFlows', () => {
  const rules = [RetryFailedFlowsRule];

  it('allows FAILED when the run has no retries, clearing the retry type', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      run: { runCount: 1, empiricalPolicy: { ...defaultFlowRunPolicy(), retryType: 'in_process' } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.run.empiricalPolicy.retryType).toBeNull();
  });

  it('rejects into AwaitingRetry while retries remain', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await orchestrateFlow({
      ports,
      policy: rules,
      run: {
        runCount: 2,
        empiricalPolicy: { ...defaultFlowRunPolicy(), retries: 2, retryDelay: 10, pauseKeys: ['k'] },
      },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED', message: 'boom', data: PERSISTED },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'Retrying' });
    expect(result.state).toMatchObject({
      type: 'SCHEDULED',
      name: 'AwaitingRetry',
      message: 'boom',
      data: PERSISTED,
    });
    expect(result.state?.stateDetails.scheduledTime?.secondsSince(ports.time)).toBe(10);
    expect(result.run.empiricalPolicy).toMatchObject({
      resuming: false,
      pauseKeys: [],
      retryType: 'in_process',
    });
    expect(ports.legacyTaskRetries).toEqual([]);
  });

  it('allows FAILED once retries are used up', async () => {
    const { result } = await orchestrateFlow({
      policy: rules,
      run: { runCount: 3, empiricalPolicy: { ...defaultFlowRunPolicy(), retries: 2 } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED' },
    });
    expect(result.status).toBe('ACCEPT');
  });

  it('also resets failed task runs for API versions before 0.8.3', async () => {
    const { ports } = await orchestrateFlow({
      policy: rules,
      run: { runCount: 1, empiricalPolicy: { ...defaultFlowRunPolicy(), retries: 1 } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED' },
      apiVersion: [0, 8, 2],
    });
    expect(ports.legacyTaskRetries).toHaveLength(1);
  });
});

describe('InstrumentFlowRunStateTransitions', () => {
  it('emits prefect.flow-run.<state> with the new state id', async () => {
    const { result, ports, initial } = await orchestrateFlow({
      policy: [InstrumentFlowRunStateTransitionsTransform],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(ports.emitted).toHaveLength(1);
    expect(ports.emitted[0]).toMatchObject({
      id: result.state?.id,
      event: 'prefect.flow-run.Running',
      follows: initial?.id,
      payload: { intended: { from: 'PENDING', to: 'RUNNING' } },
    });
  });

  it('emits for a server-chosen state, not for a nulled transition', async () => {
    const chosen = await orchestrateFlow({
      policy: [BypassCancellingFlowRunsWithNoInfraRule, InstrumentFlowRunStateTransitionsTransform],
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'CANCELLING' },
    });
    expect(chosen.ports.emitted.map((e) => e.event)).toEqual(['prefect.flow-run.Cancelled']);
    const nulled = await orchestrateFlow({
      policy: [EnforceCancellingToCancelledTransitionRule, InstrumentFlowRunStateTransitionsTransform],
      initial: { type: 'CANCELLING' },
      proposed: { type: 'RUNNING' },
    });
    expect(nulled.ports.emitted).toEqual([]);
  });
});

describe('ReleaseFlowConcurrencySlots', () => {
  const rules = [ReleaseFlowConcurrencySlotsTransform];

  async function finish(withLease: 'live' | 'gone' | 'none', to: 'COMPLETED' | 'RUNNING' = 'COMPLETED') {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment(DEPLOYMENT, 2)!;
    ports.limits.get(limitId)!.activeSlots = 1;
    let leaseId: string | null = null;
    if (withLease !== 'none') {
      leaseId = (
        await ports.leases.createLease({ resourceIds: [limitId], ttlSeconds: 300, slots: 1, holder: null })
      ).id;
      if (withLease === 'gone') ports.leaseRows.delete(leaseId);
    }
    await orchestrateFlow({
      ports,
      policy: rules,
      run: { deploymentId: DEPLOYMENT },
      initial: { type: 'RUNNING', stateDetails: { deploymentConcurrencyLeaseId: leaseId } },
      proposed: { type: to },
    });
    return { ports, limitId, leaseId };
  }

  it('releases through the lease and revokes it', async () => {
    const { ports, limitId, leaseId } = await finish('live');
    expect(ports.limits.get(limitId)?.activeSlots).toBe(0);
    expect(ports.leaseRows.has(leaseId!)).toBe(false);
  });

  it("falls back to the deployment's limit when the lease is gone, or when there is none", async () => {
    for (const mode of ['gone', 'none'] as const) {
      const { ports, limitId } = await finish(mode);
      expect(ports.limits.get(limitId)?.activeSlots).toBe(0);
    }
  });

  it('keeps the slot while the run stays in a slot-holding state', async () => {
    const { ports, limitId } = await finish('live', 'RUNNING');
    expect(ports.limits.get(limitId)?.activeSlots).toBe(1);
  });
});

describe('PreventResultDataLoss (forced)', () => {
  it('rejects replacing a persisted COMPLETED result with none, even when forced', async () => {
    const { result } = await orchestrateFlow({
      force: true,
      initial: { type: 'COMPLETED', data: PERSISTED },
      proposed: { type: 'COMPLETED' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.',
    });
  });

  it('allows it from a non-persisted result', async () => {
    const { result } = await orchestrateFlow({
      policy: [PreventResultDataLossRule],
      initial: { type: 'COMPLETED' },
      proposed: { type: 'COMPLETED' },
    });
    expect(result.status).toBe('ACCEPT');
  });
});
