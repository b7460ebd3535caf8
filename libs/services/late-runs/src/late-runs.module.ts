import { Module } from '@nestjs/common';
import { LateRunsRepository } from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { LateRunsService } from './late-runs.service';

/** The late-runs service (`PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED`). */
@Module({ imports: [RunsModule], providers: [LateRunsRepository, LateRunsService] })
export class LateRunsModule {}
