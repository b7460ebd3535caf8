export { loadSettings, settingDefinitions, settingsWithoutEffect } from './settings.loader';
export { SettingsError } from './settings.error';
export { SettingsModule } from './settings.module';
export { SETTINGS, InjectSettings } from './settings.token';
export { settingsForDisplay } from './settings.display';
export { REDACTED, redactUrl } from './url.redaction';
export {
  SERVICE_CATALOGUE,
  vacuumEventsHeldBack,
  vacuumTargetEnabled,
  type ServiceDescriptor,
  type ServiceFamily,
} from './service.catalogue';
export { renderSettingsMarkdown } from './settings.doc';
export { type SettingDefinition, type SettingWithoutEffect } from './settings.reader';
export { type BackendKind, type LogLevel, LOG_LEVELS, parseDurationSeconds } from './setting.forms';
export type * from './settings.types';
