import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadSettings } from './settings.loader';
import { SettingsModule } from './settings.module';
import { InjectSettings, SETTINGS } from './settings.token';
import { type Settings } from './settings.types';

@Injectable()
class PortReader {
  constructor(@InjectSettings() readonly settings: Settings) {}
}

// A feature module that does not import SettingsModule: the settings must still resolve (global).
@Module({ providers: [PortReader], exports: [PortReader] })
class FeatureModule {}

describe('SettingsModule', () => {
  it('provides the given settings globally under SETTINGS', async () => {
    const settings = loadSettings({ PREFECT_SERVER_API_PORT: '4321' });
    @Module({ imports: [SettingsModule.forRoot(settings), FeatureModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(PortReader).settings).toBe(settings);
      expect(app.get<Settings>(SETTINGS).server.api.port).toBe(4321);
    } finally {
      await app.close();
    }
  });

  it('loads from process.env when no settings are given', async () => {
    const previous = process.env.PREFECT_SERVER_API_PORT;
    process.env.PREFECT_SERVER_API_PORT = '4999';
    @Module({ imports: [SettingsModule.forRoot()] })
    class AppModule {}
    try {
      const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
      expect(app.get<Settings>(SETTINGS).server.api.port).toBe(4999);
      await app.close();
    } finally {
      if (previous === undefined) delete process.env.PREFECT_SERVER_API_PORT;
      else process.env.PREFECT_SERVER_API_PORT = previous;
    }
  });
});
