import { Module } from '@nestjs/common';
import { PauseExpirationsRepository } from '@orrery/persistence';
import { OrchestrationTransactions } from '@orrery/runs';
import { PauseExpirationsService } from './pause-expirations.service';

/** The pause-expirations service (`PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED`). */
@Module({ providers: [OrchestrationTransactions, PauseExpirationsRepository, PauseExpirationsService] })
export class PauseExpirationsModule {}
