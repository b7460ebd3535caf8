import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Inject } from '@nestjs/common';
import { API_OPTIONS, type ApiOptions } from '../api-options';

/**
 * What the UI reads before anything else: where the API is, whether it must ask for credentials,
 * and which UI this server ships — one, Prefect's default (v1) UI, at the serve base.
 */
export function uiSettingsDocument(options: ApiOptions): object {
  const served = options.ui.enabled && (options.ui.buildDirectory ?? null) !== null;
  return {
    api_url: options.ui.apiUrl,
    csrf_enabled: options.csrfEnabled,
    auth: options.authString === null ? null : 'BASIC',
    flags: [],
    default_ui: 'v1',
    available_uis: served ? ['v1'] : [],
    v1_base_url: served ? (options.ui.serveBase ?? '/') : null,
    v2_base_url: null,
  };
}

/**
 * `GET /ui-settings`, outside the API prefix. It reveals no secret, so it is not behind basic
 * auth (the UI could not learn that it needs a password otherwise).
 */
// Outside the API prefix (excluded from it in createHttpApplication): the UI's, not the API's document.
@ApiExcludeController()
@Controller()
export class UiSettingsController {
  constructor(@Inject(API_OPTIONS) private readonly options: ApiOptions) {}

  @Get('ui-settings')
  uiSettings(): object {
    return uiSettingsDocument(this.options);
  }
}
