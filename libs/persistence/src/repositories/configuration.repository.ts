import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** Server-wide settings kept in the database (`configuration`, unique on key). */
@Injectable()
export class ConfigurationRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async get(key: string): Promise<unknown> {
    const [row] = (await this.dataSource.query(`SELECT value FROM configuration WHERE key = $1`, [key])) as {
      value: unknown;
    }[];
    return row === undefined ? undefined : row.value;
  }

  /**
   * The value under `key`, storing `initial` first when there is none. Replicas racing on first
   * use all read the one value that won the insert (`ON CONFLICT DO NOTHING`, then read).
   */
  async getOrInsert(key: string, initial: unknown): Promise<unknown> {
    await this.dataSource.query(
      `INSERT INTO configuration (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
      [key, JSON.stringify(initial)],
    );
    const value = await this.get(key);
    if (value === undefined) throw new Error(`configuration ${JSON.stringify(key)} vanished after insert`);
    return value;
  }
}
