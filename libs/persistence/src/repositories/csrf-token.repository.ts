import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

export interface CsrfTokenRow {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly token: string;
  readonly client: string;
  readonly expiration: Instant;
}

interface RawRow {
  id: string;
  created: string;
  updated: string;
  token: string;
  client: string;
  expiration: string;
}

/** CSRF tokens: one live token per client (`csrf_token`, unique on client). */
@Injectable()
export class CsrfTokenRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Creates or replaces the client's token (64 hex chars); purges expired tokens on the way. */
  async issue(client: string, expiresInSeconds: number): Promise<CsrfTokenRow> {
    const token = randomBytes(32).toString('hex');
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM csrf_token WHERE expiration < now()`);
      const rows = (await manager.query(
        `INSERT INTO csrf_token (token, client, expiration)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (client) DO UPDATE
           SET token = excluded.token, expiration = excluded.expiration, updated = now()
         RETURNING id, created, updated, token, client, expiration`,
        [token, client, expiresInSeconds],
      )) as RawRow[];
      const row = rows[0];
      if (row === undefined) throw new Error('csrf_token upsert returned no row');
      return {
        ...row,
        created: Instant.parse(row.created),
        updated: Instant.parse(row.updated),
        expiration: Instant.parse(row.expiration),
      };
    });
  }

  async isValid(client: string, token: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM csrf_token WHERE client = $1 AND token = $2 AND expiration > now()`,
      [client, token],
    )) as unknown[];
    return rows.length > 0;
  }
}
