import axios from 'axios';
import { serveBase } from './base';

/** `GET <base>/ui-settings`: what the server tells the UI before anything else. */
export interface UiSettings {
  readonly apiUrl: string;
  readonly csrfEnabled: boolean;
  readonly auth: 'BASIC' | null;
  readonly flags: readonly string[];
}

interface UiSettingsResponse {
  api_url: string;
  csrf_enabled: boolean;
  auth: string | null;
  flags?: string[];
}

let loading: Promise<UiSettings> | null = null;

/** Loads the settings once per page load (a failed load is retried on the next call). */
export function loadUiSettings(): Promise<UiSettings> {
  loading ??= axios
    .get<UiSettingsResponse>(`${serveBase()}/ui-settings`)
    .then(({ data }) => ({
      apiUrl: data.api_url,
      csrfEnabled: data.csrf_enabled,
      auth: data.auth === 'BASIC' ? 'BASIC' : null,
      flags: data.flags ?? [],
    }))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}
