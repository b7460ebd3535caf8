import { settingDefinitions } from './load-settings';
import { type SettingDefinition } from './settings.reader';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

function groupOf(path: string): string {
  const segments = path.split('.');
  if (segments.length === 1) return 'general';
  return segments.length > 2 ? segments.slice(0, 2).join('.') : segments[0]!;
}

/**
 * docs/settings.md, rendered from the definitions the settings loader records while it reads the
 * environment — so the document cannot drift from the code (a unit test compares them).
 */
export function renderSettingsMarkdown(
  definitions: readonly SettingDefinition[] = settingDefinitions(),
): string {
  const lines = [
    '# Orrery settings',
    '',
    '<!-- Generated from libs/config (settingDefinitions()). Do not edit by hand: regenerate with',
    '     ORRERY_WRITE_SETTINGS_DOC=1 npx jest libs/config/src/settings-doc.spec.ts -->',
    '',
    'Every setting is read from the environment once at boot by `loadSettings()` (`@orrery/config`).',
    'Precedence: the canonical variable, then each alias in the order listed, then the default.',
    'Empty values count as unset. Unknown `PREFECT_*` variables are ignored. Durations take seconds or',
    'ISO-8601 (`PT1H`, `P7D`); booleans take true/false, 1/0, yes/no, on/off. Every',
    '`PREFECT_SERVER_SERVICES_*` variable also answers to the legacy `PREFECT_API_SERVICES_*` prefix.',
    'Secrets are shown as `********` by `settingsForDisplay()` and never echoed in error lines.',
    '',
  ];
  let group = '';
  for (const definition of definitions) {
    const next = groupOf(definition.path);
    if (next !== group) {
      group = next;
      lines.push(
        `## ${code(group)}`,
        '',
        '| Variable | Aliases | Default | Type | Meaning |',
        '|---|---|---|---|---|',
      );
    }
    lines.push(
      `| ${code(definition.env)} | ${definition.aliases.map(code).join('<br>') || '—'} | ${cell(definition.defaultText)} | ${cell(definition.type)} | ${cell(definition.description)} |`,
    );
    const following = definitions[definitions.indexOf(definition) + 1];
    if (following === undefined || groupOf(following.path) !== group) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
