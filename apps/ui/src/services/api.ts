import {
  type AutomationAction,
  type AutomationTrigger,
  createApi,
  mapper,
  type PrefectConfig,
  WorkspaceApi,
} from '@prefecthq/prefect-ui-library';
import { createActions } from '@prefecthq/vue-compositions';
import type { AxiosInstance } from 'axios';
import type { InjectionKey } from 'vue';
import { storedCredentials } from './credentials';
import type { UiSettings } from './uiSettings';

let onUnauthorized: (() => void) | null = null;

/** What to do when the API answers 401 (the shell sends the user to the login page). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/**
 * Every request the library and our own pages make: basic-auth credentials from the login page,
 * and Prefect's CSRF token (fetched once per client id) on writes when the server asks for it.
 */
function requestSetup(settings: UiSettings, config: PrefectConfig): (axios: AxiosInstance) => void {
  const clientId = crypto.randomUUID();
  let token: Promise<string> | null = null;
  return (axios) => {
    const credentials = storedCredentials();
    if (credentials !== null) axios.defaults.headers.common.Authorization = `Basic ${credentials}`;
    axios.interceptors.response.use(undefined, (error: { response?: { status?: number } }) => {
      if (error.response?.status === 401) onUnauthorized?.();
      throw error;
    });
    if (!settings.csrfEnabled) return;
    axios.interceptors.request.use(async (request) => {
      if (['get', 'head', 'options'].includes((request.method ?? 'get').toLowerCase())) return request;
      token ??= axios
        .get<{ token: string }>(`${config.baseUrl}/csrf-token`, { params: { client: clientId } })
        .then(({ data }) => data.token)
        .catch((error: unknown) => {
          token = null;
          throw error;
        });
      request.headers.set('Prefect-Csrf-Token', await token);
      request.headers.set('Prefect-Csrf-Client', clientId);
      return request;
    });
  };
}

/** The server's own settings document, `GET /admin/settings` (values keyed by Prefect's names). */
export type ServerSettings = Record<string, unknown>;

/** What `GET /api/orrery/server` reports; see docs/ui.md. */
export interface OrreryServerReport {
  readonly version: string;
  readonly apiVersion: string;
  readonly database: string;
  readonly redis: string | null;
  readonly messageBus: string;
  readonly registryTtlSeconds: number;
  readonly processes: readonly {
    readonly id: string;
    readonly host: string;
    readonly pid: number;
    readonly api: string | null;
    readonly services: readonly string[];
    readonly startedAt: string;
    readonly heartbeatAt: string;
  }[];
  readonly services: readonly {
    readonly name: string;
    readonly envVar: string;
    readonly enabled: boolean;
    readonly runsIn: string;
    readonly replicas: readonly {
      readonly id: string;
      readonly host: string;
      readonly pid: number;
      readonly heartbeatAt: string;
    }[];
    readonly stream: {
      readonly topic: string;
      readonly group: string | null;
      readonly lag: number | null;
      readonly pending: number | null;
      readonly deadLetters: number | null;
    } | null;
  }[];
  readonly live: boolean;
  readonly warning: string | null;
}

class AdminApi extends WorkspaceApi {
  protected override routePrefix = '/admin';

  getSettings(): Promise<ServerSettings> {
    return this.get<ServerSettings>('/settings').then(({ data }) => data);
  }

  getVersion(): Promise<string> {
    return this.get<string>('/version').then(({ data }) => data);
  }
}

class OrreryApi extends WorkspaceApi {
  protected override routePrefix = '/orrery';

  getServer(): Promise<OrreryServerReport> {
    return this.get<OrreryServerReport>('/server').then(({ data }) => data);
  }
}

/** A full automation: the library's own client maps only its name and flags. */
export interface AutomationDetail {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly trigger: AutomationTrigger;
  readonly actions: AutomationAction[];
}

export interface AutomationDraft {
  name: string;
  description: string;
  enabled: boolean;
  trigger: AutomationTrigger;
  actions: AutomationAction[];
}

interface AutomationResponseBody {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  trigger: unknown;
  actions: unknown[];
}

class AutomationsWriteApi extends WorkspaceApi {
  protected override routePrefix = '/automations';

  async getAutomationDetail(id: string): Promise<AutomationDetail> {
    const { data } = await this.get<AutomationResponseBody>(`/${id}`);
    return this.detail(data);
  }

  async listAutomationDetails(): Promise<AutomationDetail[]> {
    const { data } = await this.post<AutomationResponseBody[]>('/filter', { sort: 'NAME_ASC' });
    return data.map((automation) => this.detail(automation));
  }

  private detail(data: AutomationResponseBody): AutomationDetail {
    return {
      id: data.id,
      name: data.name,
      description: data.description,
      enabled: data.enabled,
      trigger: mapper.map('AutomationTriggerResponse', data.trigger as never, 'AutomationTrigger'),
      actions: mapper.map('AutomationActionResponse', data.actions as never[], 'AutomationAction'),
    };
  }

  async createAutomation(draft: AutomationDraft): Promise<string> {
    const { data } = await this.post<{ id: string }>('/', this.body(draft));
    return data.id;
  }

  async updateAutomation(id: string, draft: AutomationDraft): Promise<void> {
    await this.put(`/${id}`, this.body(draft));
  }

  private body(draft: AutomationDraft): object {
    return {
      name: draft.name,
      description: draft.description,
      enabled: draft.enabled,
      trigger: mapper.map('AutomationTrigger', draft.trigger, 'AutomationTriggerRequest'),
      actions: mapper.map('AutomationAction', draft.actions, 'AutomationActionRequest'),
    };
  }
}

/** The library's API client plus the few calls of our own pages, all against the server's API URL. */
export function createOrreryApi(settings: UiSettings) {
  const config: PrefectConfig = { baseUrl: settings.apiUrl.replace(/\/$/, '') };
  const setup = requestSetup(settings, config);
  return {
    ...createApi(config, setup),
    admin: createActions(new AdminApi(config, setup)),
    orrery: createActions(new OrreryApi(config, setup)),
    automationsWrite: createActions(new AutomationsWriteApi(config, setup)),
    baseUrl: config.baseUrl,
  };
}

export type OrreryUiApi = ReturnType<typeof createOrreryApi>;

export const orreryApiKey: InjectionKey<OrreryUiApi> = Symbol('OrreryUiApi');
