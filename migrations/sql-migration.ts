import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A migration written as plain SQL statements: `up` applies `upStatements` in order, `down` applies
 * `downStatements` in order (each migration runs in its own transaction, see DatabaseMigrator).
 */
export abstract class SqlMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly upStatements: readonly string[];
  protected abstract readonly downStatements: readonly string[];

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.upStatements) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.downStatements) {
      await queryRunner.query(sql);
    }
  }
}
