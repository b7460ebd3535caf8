import { Module } from '@nestjs/common';
import { ConcurrencyLimitsService } from './concurrency-limits.service';

/**
 * The concurrency-limit use-cases (v1 tags and v2 limits); needs OutboxModule and PersistenceModule,
 * and for leases shared across replicas the global LeaseStorageModule (else the in-process store).
 */
@Module({ providers: [ConcurrencyLimitsService], exports: [ConcurrencyLimitsService] })
export class ConcurrencyUseCasesModule {}
