import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { API_OPTIONS, type ApiOptions } from './api-options';
import { OrreryServerController } from './root/orrery-server.controller';
import { MetricsController } from './root/metrics.controller';
import { RootController } from './root/root.controller';
import { UiSettingsController } from './root/ui-settings.controller';

export interface ApiModuleOptions {
  readonly options: ApiOptions;
  /** Providers for the ports the controllers need (DATABASE_PROBE, CSRF_TOKEN_STORE, …). */
  readonly providers?: Provider[];
  readonly imports?: DynamicModule['imports'];
}

/** The REST surface of the api-gateway. Feature controllers join it as their issues land. */
@Module({})
export class ApiModule {
  static forRoot({ options, providers = [], imports = [] }: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      // Global so every resource module (RestApiModule) sees API_OPTIONS (default limit, …).
      global: true,
      imports,
      controllers: [RootController, UiSettingsController, OrreryServerController, MetricsController],
      providers: [{ provide: API_OPTIONS, useValue: options }, ...providers],
      exports: [API_OPTIONS],
    };
  }
}
