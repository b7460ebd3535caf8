import { Module } from '@nestjs/common';
import { SchedulerRepository } from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { SchedulerService } from './scheduler.service';

/** The scheduler service, both loops (`PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED`). */
@Module({ imports: [RunsModule], providers: [SchedulerRepository, SchedulerService] })
export class SchedulerModule {}
