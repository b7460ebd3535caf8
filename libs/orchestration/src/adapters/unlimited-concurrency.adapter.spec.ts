import { InMemoryOrchestrationPorts } from '../testing/in-memory-orchestration.ports';
import { orchestrateFlow, orchestrateTask } from '../testing/orchestrate.harness';
import { UnlimitedConcurrencyAdapter } from './unlimited-concurrency.adapter';

/** In-memory ports with the "no limit" adapter in the concurrency seats, as the API wires them today. */
function portsWithoutLimits(): InMemoryOrchestrationPorts {
  const ports = new InMemoryOrchestrationPorts();
  const unlimited = new UnlimitedConcurrencyAdapter();
  Object.assign(ports, { deployments: unlimited, tagLimits: unlimited, slots: unlimited, leases: unlimited });
  return ports;
}

describe('UnlimitedConcurrencyAdapter', () => {
  it('lets a deployment run through claim, start and finish without slots or leases', async () => {
    const ports = portsWithoutLimits();
    const claim = await orchestrateFlow({
      ports,
      run: { deploymentId: 'dep' },
      initial: { type: 'SCHEDULED' },
      proposed: { type: 'PENDING' },
    });
    expect(claim.result.status).toBe('ACCEPT');
    expect(claim.result.state?.stateDetails.deploymentConcurrencyLeaseId).toBeNull();
    const done = await orchestrateFlow({
      ports,
      run: { deploymentId: 'dep' },
      initial: { type: 'RUNNING', stateDetails: { deploymentConcurrencyLeaseId: 'stale-lease' } },
      proposed: { type: 'COMPLETED' },
    });
    expect(done.result.status).toBe('ACCEPT');
  });

  it('lets tagged tasks run', async () => {
    const ports = portsWithoutLimits();
    const { result } = await orchestrateTask({
      ports,
      run: { tags: ['db'], flowRunId: null },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
  });

  it('refuses to create a lease (no limit exists to hold one on)', async () => {
    await expect(
      new UnlimitedConcurrencyAdapter().createLease({
        resourceIds: ['x'],
        ttlSeconds: 1,
        slots: 1,
        holder: null,
      }),
    ).rejects.toThrow('No concurrency limits exist');
  });
});
