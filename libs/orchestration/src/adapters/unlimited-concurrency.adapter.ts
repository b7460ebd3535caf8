import type {
  ConcurrencyLease,
  ConcurrencyLeasePort,
  ConcurrencyLimitView,
  ConcurrencySlotsPort,
  DeploymentConcurrencyPort,
  DeploymentConcurrencyView,
  LeaseHolder,
  LegacyTagLimitView,
  TagConcurrencyPort,
} from '../engine/orchestration.ports';

/**
 * THE "NO LIMIT" ADAPTER. Until the Deployments and Concurrency issues land their repositories and
 * lease store, the API wires this into the deployment-concurrency, tag-concurrency, slot and lease
 * ports: every deployment exists and has no concurrency limit, no tag has a limit, and there are
 * no leases. With it SecureFlowConcurrencySlots, ValidateDeploymentConcurrencyAtRunning,
 * EnforceDeploymentConcurrencyOnLate, SecureTaskConcurrencySlots and the two Release* transforms
 * all pass without effect. (It also means "Deployment not found." is never answered.)
 */
export class UnlimitedConcurrencyAdapter
  implements DeploymentConcurrencyPort, TagConcurrencyPort, ConcurrencySlotsPort, ConcurrencyLeasePort
{
  readDeployment(deploymentId: string): Promise<DeploymentConcurrencyView | null> {
    return Promise.resolve({
      id: deploymentId,
      concurrencyLimitId: null,
      globalConcurrencyLimit: null,
      concurrencyOptions: null,
    });
  }

  readLimitsByName(_names: string[]): Promise<ConcurrencyLimitView[]> {
    return Promise.resolve([]);
  }

  readLegacyLimits(_tags: string[]): Promise<LegacyTagLimitView[]> {
    return Promise.resolve([]);
  }

  writeLegacyActiveSlots(_tag: string, _activeSlots: string[]): Promise<void> {
    return Promise.resolve();
  }

  /** No limit exists, so only the empty set of limits can be taken from or given back to. */
  incrementActiveSlots(limitIds: string[], _slots: number): Promise<boolean> {
    return Promise.resolve(limitIds.length === 0);
  }

  decrementActiveSlots(limitIds: string[], _slots: number): Promise<boolean> {
    return Promise.resolve(limitIds.length === 0);
  }

  createLease(_input: {
    resourceIds: string[];
    ttlSeconds: number;
    slots: number;
    holder: LeaseHolder | null;
  }): Promise<ConcurrencyLease> {
    return Promise.reject(new Error('No concurrency limits exist, so no lease can be created'));
  }

  readLease(_leaseId: string): Promise<ConcurrencyLease | null> {
    return Promise.resolve(null);
  }

  renewLease(_leaseId: string, _ttlSeconds: number): Promise<boolean> {
    return Promise.resolve(false);
  }

  revokeLease(_leaseId: string): Promise<void> {
    return Promise.resolve();
  }

  listHoldersForLimit(_limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]> {
    return Promise.resolve([]);
  }
}
