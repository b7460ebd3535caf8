import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

export type AutomationActionState = 'STARTED' | 'EXECUTED' | 'FAILED';

export interface AutomationActionClaim {
  readonly id: string;
  readonly automationId: string;
  readonly firingId: string | null;
  readonly actionIndex: number;
  readonly actionType: string;
}

/**
 * The actions service's ledger (`automation_action`): one row per action of a firing, keyed by the
 * TriggeredAction id. `start` records an attempt before the side effect; `finish` marks it final in
 * the transaction that emits the action's events.
 */
@Injectable()
export class AutomationActionRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Records an attempt: a new row is STARTED with 1 attempt; an existing STARTED row counts one more
   * attempt (a redelivery of an action whose process died mid-way); a final row is left alone.
   */
  async start(claim: AutomationActionClaim): Promise<{ state: AutomationActionState; attempts: number }> {
    const rows = (await this.dataSource.query(
      `INSERT INTO automation_action (id, automation_id, firing_id, action_index, action_type)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE
         SET attempts = automation_action.attempts + (CASE WHEN automation_action.state = 'STARTED' THEN 1 ELSE 0 END),
             updated = CASE WHEN automation_action.state = 'STARTED' THEN now() ELSE automation_action.updated END
       RETURNING state, attempts`,
      [claim.id, claim.automationId, claim.firingId, claim.actionIndex, claim.actionType],
    )) as { state: AutomationActionState; attempts: number }[];
    const row = rows[0];
    if (row === undefined) throw new Error('automation_action upsert returned no row');
    return row;
  }

  /** Marks the action final (in the caller's transaction, with its events). */
  async finish(manager: EntityManager, id: string, state: 'EXECUTED' | 'FAILED'): Promise<void> {
    await manager.query(`UPDATE automation_action SET state = $2, updated = now() WHERE id = $1`, [
      id,
      state,
    ]);
  }

  async state(id: string): Promise<{ state: AutomationActionState; attempts: number } | null> {
    const rows = (await this.dataSource.query(`SELECT state, attempts FROM automation_action WHERE id = $1`, [
      id,
    ])) as { state: AutomationActionState; attempts: number }[];
    return rows[0] ?? null;
  }
}
