import { Module } from '@nestjs/common';
import { ForemanRepository } from '@orrery/persistence';
import { ForemanService } from './foreman.service';

/** The foreman service (`PREFECT_SERVER_SERVICES_FOREMAN_ENABLED`). */
@Module({ providers: [ForemanRepository, ForemanService] })
export class ForemanModule {}
