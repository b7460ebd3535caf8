import { Module } from '@nestjs/common';
import { RepossessorService } from './repossessor.service';

/**
 * The repossessor service (`PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED`). Needs the process's
 * global LeaseStorageModule, PersistenceModule and JobsModule.
 */
@Module({ providers: [RepossessorService] })
export class RepossessorModule {}
