import { Controller, Get, Inject } from '@nestjs/common';
import { API_OPTIONS, type ApiOptions } from '../api-options';

/**
 * `GET /ui-settings`, outside the API prefix: what the Prefect UI reads before anything else, to
 * learn where the API is and whether it must ask for credentials. It reveals no secret, so it is
 * not behind basic auth (the UI could not learn that it needs a password otherwise).
 */
@Controller()
export class UiSettingsController {
  constructor(@Inject(API_OPTIONS) private readonly options: ApiOptions) {}

  @Get('ui-settings')
  uiSettings(): object {
    return {
      api_url: this.options.ui.apiUrl,
      csrf_enabled: this.options.csrfEnabled,
      auth: this.options.authString === null ? null : 'BASIC',
      flags: [],
      default_ui: this.options.ui.v2Enabled ? 'v2' : 'v1',
      available_uis: this.options.ui.v2Enabled ? ['v1', 'v2'] : ['v1'],
      v1_base_url: '/',
      v2_base_url: '/v2',
    };
  }
}
