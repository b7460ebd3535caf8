import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingDefinitions } from './settings.loader';
import { renderSettingsMarkdown } from './settings.doc';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'settings.md');

describe('docs/settings.md', () => {
  it('is generated from the settings definitions (regenerate with ORRERY_WRITE_SETTINGS_DOC=1)', () => {
    const rendered = renderSettingsMarkdown();
    if (process.env.ORRERY_WRITE_SETTINGS_DOC === '1') writeFileSync(DOC, rendered);
    let committed = '';
    try {
      committed = readFileSync(DOC, 'utf8');
    } catch {
      // A missing file is reported as stale below.
    }
    if (committed !== rendered) {
      throw new Error(
        'docs/settings.md is stale: regenerate it with `ORRERY_WRITE_SETTINGS_DOC=1 npx jest libs/config/src/settings.doc.spec.ts` and commit it',
      );
    }
  });

  it('has a row for every variable and alias', () => {
    const rendered = renderSettingsMarkdown();
    for (const definition of settingDefinitions()) {
      expect(rendered).toMatch(new RegExp(`^\\| \`${definition.env}\` +\\|`, 'm'));
      for (const alias of definition.aliases) expect(rendered).toContain(`\`${alias}\``);
    }
  });
});
