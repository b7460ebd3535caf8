import { inject } from 'vue';
import { orreryApiKey, type OrreryUiApi } from './api';

/** The API client the shell provided (library calls plus ours). */
export function useOrreryApi(): OrreryUiApi {
  const api = inject(orreryApiKey);
  if (api === undefined) throw new Error('the Orrery API is provided by AppShell');
  return api;
}
