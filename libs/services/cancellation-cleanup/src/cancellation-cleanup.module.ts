import { Module } from '@nestjs/common';
import { CancellationCleanupRepository } from '@orrery/persistence';
import { OrchestrationTransactions, TaskRunStateService } from '@orrery/runs';
import { CancellationCleanupService } from './cancellation-cleanup.service';

/** The cancellation-cleanup service (`PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED`). */
@Module({
  providers: [
    OrchestrationTransactions,
    TaskRunStateService,
    CancellationCleanupRepository,
    CancellationCleanupService,
  ],
})
export class CancellationCleanupModule {}
