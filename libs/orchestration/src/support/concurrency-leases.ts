import type { OrchestrationSettings } from '../engine/orchestration-parameters';
import type { DeploymentConcurrencyView, OrchestrationPorts } from '../engine/orchestration.ports';

/**
 * Gives back the slots a lease holds and revokes it. A lease that has already gone (expired and
 * reaped) falls back to decrementing `fallbackLimitIds` by `fallbackSlots`, when given.
 */
export async function releaseConcurrencyLease(
  ports: OrchestrationPorts,
  leaseId: string,
  fallbackLimitIds: string[] | null = null,
  fallbackSlots = 1,
): Promise<void> {
  const lease = await ports.leases.readLease(leaseId);
  if (lease === null) {
    if (fallbackLimitIds !== null && fallbackLimitIds.length > 0) {
      const released = await ports.slots.decrementActiveSlots(fallbackLimitIds, fallbackSlots);
      if (!released) throw new Error(`Failed to release concurrency slots for lease ${leaseId}`);
    }
    return;
  }
  const released = await ports.slots.decrementActiveSlots(lease.resourceIds, lease.slots);
  if (!released) throw new Error(`Failed to release concurrency slots for lease ${leaseId}`);
  await ports.leases.revokeLease(lease.id);
}

/** A deployment slot's lease lives for the deployment's grace period, else the server default. */
export function deploymentLeaseTtlSeconds(
  deployment: DeploymentConcurrencyView,
  settings: OrchestrationSettings,
): number {
  return deployment.concurrencyOptions?.gracePeriodSeconds ?? settings.initialDeploymentLeaseDurationSeconds;
}
