import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, migrationFileStem } from './index';

// The ledger exists so that two branches adding a migration conflict in git; these checks make a
// migration that is missing from it (or from the ordered list) fail CI.
describe('migration ledger', () => {
  const ledger = readFileSync(join(__dirname, 'LEDGER'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const files = readdirSync(__dirname)
    .filter((file) => /^\d{13}-[a-z0-9-]+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const listed = MIGRATIONS.map((migration) => migrationFileStem(new migration().name ?? migration.name));

  it('lists the migrations in the same order as index.ts', () => {
    expect(listed).toEqual(ledger);
  });

  it('lists every migration file, oldest first', () => {
    expect(ledger).toEqual(files);
    expect([...ledger].sort()).toEqual(ledger);
  });

  it('has no duplicate entries', () => {
    expect(new Set(ledger).size).toBe(ledger.length);
  });

  it('names each class after its file and gives it a matching name property', () => {
    for (const migration of MIGRATIONS) {
      expect(new migration().name).toBe(migration.name);
    }
  });

  it('derives file stems from class names', () => {
    expect(migrationFileStem('CoreSchema1795300000000')).toBe('1795300000000-core-schema');
    expect(() => migrationFileStem('NoTimestamp')).toThrow(/13-digit/);
  });
});
