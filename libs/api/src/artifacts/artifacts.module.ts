import { Module } from '@nestjs/common';
import { ArtifactRepository } from '@orrery/persistence';
import { ArtifactsController } from './artifacts.controller';
import { ArtifactsService } from './artifacts.service';

/** Artifacts and their per-key collections; needs the global OutboxModule for collection events. */
@Module({ controllers: [ArtifactsController], providers: [ArtifactRepository, ArtifactsService] })
export class ArtifactsModule {}
