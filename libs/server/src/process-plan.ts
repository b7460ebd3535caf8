import { SERVICE_CATALOGUE, type ServiceDescriptor, type Settings } from '@orrery/config';

/** Which background services a process was asked to consider. */
export type ServiceSelection =
  /** `orrery server start --no-services`: the API only. */
  | { readonly kind: 'none' }
  /** `orrery server start`, `orrery server services start`: every service enabled in the environment. */
  | { readonly kind: 'all-enabled' }
  /** A single-service app (`apps/late-runs` …): just these, if enabled. */
  | { readonly kind: 'only'; readonly names: readonly string[] };

export interface ProcessPlan {
  readonly api: boolean;
  /** Enabled services this process runs. */
  readonly services: readonly ServiceDescriptor[];
  /** Services considered but switched off by their env var. */
  readonly disabled: readonly ServiceDescriptor[];
}

/**
 * Decides what one process runs. Every process composes the same modules; which service modules it
 * loads follows only from `PREFECT_SERVER_SERVICES_<NAME>_ENABLED` (and friends) and the command.
 */
export function planProcess(settings: Settings, api: boolean, selection: ServiceSelection): ProcessPlan {
  let considered: readonly ServiceDescriptor[];
  switch (selection.kind) {
    case 'none':
      considered = [];
      break;
    case 'all-enabled':
      considered = SERVICE_CATALOGUE;
      break;
    case 'only': {
      const unknown = selection.names.filter((n) => !SERVICE_CATALOGUE.some((s) => s.name === n));
      if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}`);
      considered = SERVICE_CATALOGUE.filter((s) => selection.names.includes(s.name));
      break;
    }
  }
  return {
    api,
    services: considered.filter((s) => s.isEnabled(settings)),
    disabled: considered.filter((s) => !s.isEnabled(settings)),
  };
}
