import { settingDefinitions } from './settings.loader';
import { type SettingDefinition } from './settings.reader';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

/** `server.services.late_runs.enabled` → `server.services`; top-level and client-side ones → `general`. */
function groupOf(path: string): string {
  const segments = path.split('.');
  const [head] = segments;
  if (head !== 'server' && head !== 'redis') return 'general';
  return segments.length > 2 ? segments.slice(0, 2).join('.') : 'server';
}

const width = (text: string): number => [...text].length;

/** A column-aligned Markdown table, laid out exactly as prettier would so `format:check` stays quiet. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(3, width(title), ...rows.map((row) => width(row[column]!))),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((text, column) => text + ' '.repeat(widths[column]! - width(text))).join(' | ')} |`;
  return [line(header), line(widths.map((columnWidth) => '-'.repeat(columnWidth))), ...rows.map(line)];
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
    '     ORRERY_WRITE_SETTINGS_DOC=1 npx jest libs/config/src/settings.doc.spec.ts -->',
    '',
    'Every setting is read from the environment once at boot by `loadSettings()` (`@orrery/config`).',
    'Precedence: the canonical variable, then each alias in the order listed, then the default.',
    'Empty values count as unset. Unknown `PREFECT_*` variables are ignored. Durations take seconds or',
    'ISO-8601 (`PT1H`, `P7D`); booleans take true/false, 1/0, yes/no, on/off. Every',
    '`PREFECT_SERVER_SERVICES_*` variable also answers to the legacy `PREFECT_API_SERVICES_*` prefix.',
    'Secrets are shown as `********` by `settingsForDisplay()` and never echoed in error lines.',
    '',
  ];
  const groups = new Map<string, string[][]>();
  for (const definition of definitions) {
    const group = groupOf(definition.path);
    const rows = groups.get(group) ?? [];
    rows.push([
      code(definition.env),
      definition.aliases.map(code).join('<br>') || '—',
      cell(definition.defaultText),
      cell(definition.type),
      cell(
        definition.noEffect === undefined
          ? definition.description
          : `${definition.description}. **Accepted for compatibility, no effect:** ${definition.noEffect}`,
      ),
    ]);
    groups.set(group, rows);
  }
  for (const [group, rows] of groups) {
    lines.push(
      `## ${code(group)}`,
      '',
      ...table(['Variable', 'Aliases', 'Default', 'Type', 'Meaning'], rows),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
