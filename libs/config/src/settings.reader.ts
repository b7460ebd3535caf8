import { type SettingForm } from './setting.forms';
import { SettingsError } from './settings.error';
import { SETTINGS_WITHOUT_EFFECT } from './settings-without-effect';
import { REDACTED, redactUrl } from './url.redaction';

/** One setting as documented in docs/settings.md; recorded while the tree is built. */
export interface SettingDefinition {
  /** Prefect's settings path, e.g. `server.api.port`. */
  readonly path: string;
  /** Canonical env name: `PREFECT_` + path in upper case with `.` → `_`. */
  readonly env: string;
  /** Legacy names also accepted, in precedence order after `env`. */
  readonly aliases: readonly string[];
  readonly type: string;
  /** The default as shown to people (`—` when unset). */
  readonly defaultText: string;
  readonly description: string;
  readonly secret: boolean;
  /** Why Orrery accepts this setting without acting on it; undefined when it takes effect. */
  readonly noEffect?: string;
}

/** A setting that has no effect in Orrery, found set to something other than its default. */
export interface SettingWithoutEffect {
  readonly variable: string;
  readonly reason: string;
}

export interface ReadOptions<D> {
  readonly default: D;
  readonly description: string;
  readonly aliases?: readonly string[];
  /** Shown in docs instead of the default value (for derived defaults). */
  readonly defaultText?: string;
  /** Never echo the value back (error lines, display). */
  readonly secret?: boolean;
  /** The value is a URL that may carry a password: echo it with the password hidden. */
  readonly url?: boolean;
}

/** A raw string and the variable it actually came from. */
export interface RawSetting {
  readonly variable: string;
  readonly raw: string;
}

const SERVICES_PREFIX = 'PREFECT_SERVER_SERVICES_';
const LEGACY_SERVICES_PREFIX = 'PREFECT_API_SERVICES_';
const MAX_ECHO = 200;

/**
 * Reads PREFECT_* variables: canonical name first, then each legacy alias, else the default. An
 * empty value counts as unset (compose files write `VAR=` to mean "not set"). Every read is
 * recorded as a definition, so the settings tree-builder is also the source of docs/settings.md.
 */
export class SettingsReader {
  readonly definitions: SettingDefinition[] = [];
  /** No-effect settings whose value differs from the default, in reading order. */
  readonly setWithoutEffect: SettingWithoutEffect[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  static envName(path: string): string {
    return `PREFECT_${path.toUpperCase().replace(/\./g, '_')}`;
  }

  read<T>(path: string, form: SettingForm<T>, options: ReadOptions<NoInfer<T>>): T;
  read<T>(path: string, form: SettingForm<T>, options: ReadOptions<null>): T | null;
  read<T>(path: string, form: SettingForm<T>, options: ReadOptions<T | null>): T | null {
    const env = SettingsReader.envName(path);
    const noEffect = SETTINGS_WITHOUT_EFFECT[env];
    const aliases = [...(options.aliases ?? [])];
    // Every services setting also answers to the legacy PREFECT_API_SERVICES_* prefix.
    if (env.startsWith(SERVICES_PREFIX)) {
      const legacy = LEGACY_SERVICES_PREFIX + env.slice(SERVICES_PREFIX.length);
      if (!aliases.includes(legacy)) aliases.push(legacy);
    }
    this.define({
      path,
      env,
      aliases,
      type: form.label,
      defaultText: options.defaultText ?? formatDefault(options.default, form.label.startsWith('duration')),
      description: options.description,
      secret: options.secret ?? false,
      ...(noEffect === undefined ? {} : { noEffect }),
    });
    const found = this.lookup([env, ...aliases]);
    if (found === undefined) return options.default;
    const result = form.parse(found.raw);
    if (!result.ok) {
      throw SettingsReader.invalid(found, result.expected, options);
    }
    if (noEffect !== undefined && JSON.stringify(result.value) !== JSON.stringify(options.default)) {
      this.setWithoutEffect.push({ variable: found.variable, reason: noEffect });
    }
    return result.value;
  }

  /** The first non-empty value among `names`, with the name it came from. */
  lookup(names: readonly string[]): RawSetting | undefined {
    for (const variable of names) {
      const raw = this.env[variable];
      if (raw !== undefined && raw.trim() !== '') return { variable, raw };
    }
    return undefined;
  }

  /** Finds the raw value of a setting already read (used for cross-field checks after parsing). */
  rawOf(path: string): RawSetting | undefined {
    const definition = this.definitions.find((candidate) => candidate.path === path);
    if (definition === undefined) throw new Error(`setting ${path} was never read`);
    return this.lookup([definition.env, ...definition.aliases]);
  }

  static invalid(
    found: RawSetting,
    expected: string,
    options: { secret?: boolean; url?: boolean } = {},
  ): SettingsError {
    return new SettingsError(found.variable, `expected ${expected}, got ${echo(found.raw, options)}`);
  }

  private define(definition: SettingDefinition): void {
    if (this.seen.has(definition.env)) throw new Error(`setting ${definition.env} defined twice`);
    this.seen.add(definition.env);
    this.definitions.push(definition);
  }
}

/** Quotes a bad value for an error line: one line, bounded length, secrets hidden. */
export function echo(raw: string, options: { secret?: boolean; url?: boolean } = {}): string {
  if (options.secret && !options.url) return `"${REDACTED}"`;
  const shown = options.url ? redactUrl(raw) : raw;
  const clipped = shown.length > MAX_ECHO ? `${shown.slice(0, MAX_ECHO)}…` : shown;
  return JSON.stringify(clipped);
}

const UNITS: [number, string][] = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min'],
];

function formatDefault(value: unknown, isDuration: boolean): string {
  if (value === null || value === undefined) return '—';
  if (isDuration && typeof value === 'number') {
    // Durations read better with their unit: `7776000 (90 d)`.
    const unit = UNITS.find(([size]) => value >= size && value % size === 0);
    return unit === undefined ? String(value) : `${value} (${value / unit[0]} ${unit[1]})`;
  }
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
