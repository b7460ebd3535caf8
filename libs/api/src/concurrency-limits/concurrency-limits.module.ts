import { Module } from '@nestjs/common';
import { ConcurrencyUseCasesModule } from '@orrery/concurrency';
import { ConcurrencyLimitsController } from './concurrency-limits.controller';
import { ConcurrencyLimitsV2Controller } from './concurrency-limits-v2.controller';

/** Concurrency limits v1 and v2 over the @orrery/concurrency use-cases. */
@Module({
  imports: [ConcurrencyUseCasesModule],
  controllers: [ConcurrencyLimitsController, ConcurrencyLimitsV2Controller],
})
export class ConcurrencyLimitsModule {}
