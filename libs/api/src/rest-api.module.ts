import { Module } from '@nestjs/common';
import { FlowsModule } from './flows/flows.module';

/**
 * Every resource endpoint of the REST API (the root endpoints live in ApiModule). Needs the
 * PersistenceModule (DATA_SOURCE) in the process; each resource joins here as its issue lands.
 */
@Module({ imports: [FlowsModule] })
export class RestApiModule {}
