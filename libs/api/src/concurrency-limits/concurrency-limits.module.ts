import { Module } from '@nestjs/common';
import { ConcurrencyLimitsController } from './concurrency-limits.controller';
import { ConcurrencyLimitsService } from './concurrency-limits.service';
import { ConcurrencyLimitsV2Controller } from './concurrency-limits-v2.controller';

/**
 * Concurrency limits v1 and v2; needs the global OutboxModule (lifecycle events) and, for leases
 * shared across replicas, the global LeaseStorageModule (else the in-process store).
 */
@Module({
  controllers: [ConcurrencyLimitsController, ConcurrencyLimitsV2Controller],
  providers: [ConcurrencyLimitsService],
})
export class ConcurrencyLimitsModule {}
