import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@orrery/outbox';
import { type ArtifactFields, type ArtifactRecord, ArtifactRepository } from '@orrery/persistence';
import { artifactCollectionEvent } from './artifact-collection-events';

/**
 * Artifact writes that change a key's collection, with the collection's lifecycle event in the
 * same transaction (transactional outbox), as upstream emits them on create and delete.
 */
@Injectable()
export class ArtifactsService {
  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  create(artifact: ArtifactFields): Promise<ArtifactRecord> {
    return this.outbox.transaction(async (manager, emit) => {
      const { artifact: created, collection } = await this.artifacts.create(manager, artifact);
      if (collection !== null) emit(artifactCollectionEvent(collection));
      return created;
    });
  }

  /** Returns false when there is no such artifact. */
  delete(id: string): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.artifacts.delete(manager, id);
      if (deleted?.collection != null) emit(artifactCollectionEvent(deleted.collection));
      return deleted !== null;
    });
  }
}
