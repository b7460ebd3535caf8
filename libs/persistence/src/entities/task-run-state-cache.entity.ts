import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';

/** Table `task_run_state_cache` — see migrations/ for the authoritative DDL. */
@Entity('task_run_state_cache')
@Index('ix_task_run_state_cache__updated', ['updated'])
// Not expressible in TypeORM: (cache_key, created DESC)
@Index('ix_task_run_state_cache__cache_key_created_desc', { synchronize: false })
export class TaskRunStateCacheEntity extends BaseRecordEntity {
  @Column('text', { name: 'cache_key' })
  cacheKey!: string;

  @Column('timestamptz', { name: 'cache_expiration', nullable: true, transformer: INSTANT_TRANSFORMER })
  cacheExpiration!: Instant | null;

  @Column('uuid', { name: 'task_run_state_id' })
  taskRunStateId!: string;
}
