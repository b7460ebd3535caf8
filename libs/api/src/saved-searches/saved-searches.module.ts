import { Module } from '@nestjs/common';
import { SavedSearchRepository } from '@orrery/persistence';
import { SavedSearchesController } from './saved-searches.controller';

@Module({ controllers: [SavedSearchesController], providers: [SavedSearchRepository] })
export class SavedSearchesModule {}
