import { AutomationActionRepository, type Database } from '@orrery/persistence';
import { createPgliteTestDatabase, createTestDatabase } from '@orrery/testing';
import { randomUUID } from 'node:crypto';

/** The ledger's start/finish rules, on PostgreSQL and on PGlite (the embedded default). */
async function ledgerRules(dataSource: Database): Promise<void> {
  const ledger = new AutomationActionRepository(dataSource);
  const claim = {
    id: randomUUID(),
    automationId: randomUUID(),
    firingId: null,
    actionIndex: 2,
    actionType: 'call-webhook',
  };
  expect(await ledger.start(claim)).toEqual({ state: 'STARTED', attempts: 1 });
  // A redelivery of an unfinished action counts an attempt (the re-send the README describes).
  expect(await ledger.start(claim)).toEqual({ state: 'STARTED', attempts: 2 });
  await dataSource.transaction((manager) => ledger.finish(manager, claim.id, 'EXECUTED'));
  // A final row is left alone: the action is skipped.
  expect(await ledger.start(claim)).toEqual({ state: 'EXECUTED', attempts: 2 });
  expect(await ledger.state(claim.id)).toEqual({ state: 'EXECUTED', attempts: 2 });
  // A finish whose transaction rolls back leaves the action to be retried.
  const other = { ...claim, id: randomUUID() };
  await ledger.start(other);
  await expect(
    dataSource.transaction(async (manager) => {
      await ledger.finish(manager, other.id, 'FAILED');
      throw new Error('the events could not be written');
    }),
  ).rejects.toThrow('could not be written');
  expect(await ledger.state(other.id)).toEqual({ state: 'STARTED', attempts: 1 });
}

describe('the automation_action ledger', () => {
  it('on PostgreSQL', async () => {
    const db = await createTestDatabase({ migrate: true });
    try {
      await ledgerRules(db.dataSource);
    } finally {
      await db.drop();
    }
  });

  it('on PGlite', async () => {
    const db = await createPgliteTestDatabase({ migrate: true });
    try {
      await ledgerRules(db.dataSource);
    } finally {
      await db.drop();
    }
  }, 120_000); // PGlite starts and migrates in seconds, more on a loaded machine
});
