import { Module } from '@nestjs/common';
import { DbVacuumRepository } from '@orrery/persistence';
import { DbVacuumService } from './db-vacuum.service';

/** The db-vacuum service (`PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED`, default `events`). */
@Module({ providers: [DbVacuumRepository, DbVacuumService] })
export class DbVacuumModule {}
