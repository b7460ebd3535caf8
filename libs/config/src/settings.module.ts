import { type DynamicModule, Module } from '@nestjs/common';
import { loadSettings } from './settings.loader';
import { type Settings } from './settings.types';
import { SETTINGS } from './settings.token';

/**
 * Global module providing the validated settings under the SETTINGS token. Processes normally load
 * settings before Nest starts (so a bad value exits with one line) and pass them in; without an
 * argument the tree is loaded from process.env when the provider is first resolved.
 */
@Module({})
export class SettingsModule {
  static forRoot(settings?: Settings): DynamicModule {
    return {
      module: SettingsModule,
      global: true,
      providers: [{ provide: SETTINGS, useFactory: (): Settings => settings ?? loadSettings() }],
      exports: [SETTINGS],
    };
  }
}
