import { type Instant, uuid7 } from '@orrery/domain';
import { BeforeInsert, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';

/**
 * Columns every table has (spec-api-orchestration §2): a uuid primary key, `created`, and `updated`
 * (indexed). `updated` is set by the application, not by a trigger, because some writers (the
 * foreman, worker polls) deliberately write it back unchanged so the recent-deployments scheduler
 * does not see a change.
 */
export abstract class BaseRecordEntity {
  // DEFAULT gen_random_uuid() in the migrations (core since PostgreSQL 13, present in PGlite).
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz', transformer: INSTANT_TRANSFORMER })
  created!: Instant;

  @UpdateDateColumn({ type: 'timestamptz', transformer: INSTANT_TRANSFORMER })
  updated!: Instant;

  /** Server-minted ids are UUIDv7 (time-ordered); ids supplied by clients are kept as they are. */
  @BeforeInsert()
  protected assignId(): void {
    this.id ??= uuid7();
  }
}
