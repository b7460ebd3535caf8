import type { ArtifactCollectionRecord, ArtifactRecord } from '@orrery/persistence';
import { Allow, IsOptional, IsString, registerDecorator } from 'class-validator';
import { IsLaxUuid } from '../common/lax-scalars';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

const ARTIFACT_KEY = /^[a-z0-9-]*$/;

/** Upstream truncates each metadata value to 500 characters and marks the cut with "...". */
const MAX_METADATA_VALUE_LENGTH = 500;

/** Prefect's `ArtifactKey`: lowercase letters, digits and dashes (pydantic's ValueError wording). */
function IsArtifactKey(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isArtifactKey',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'Value error, Artifact key must only contain lowercase letters, numbers, and dashes.',
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || ARTIFACT_KEY.test(value) },
    });
  };
}

/** `metadata_`: a flat object of string values (`dict[str, str]`). */
function IsStringMap(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'Input should be a valid dictionary with string values' },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string'),
      },
    });
  };
}

/** `ArtifactCreate`: the body of `POST /artifacts/`. */
export class ArtifactCreateDto {
  @IsOptional()
  @IsString()
  @IsArtifactKey()
  key?: string | null;

  @IsOptional()
  @IsString()
  type?: string | null;

  @IsOptional()
  @IsString()
  description?: string | null;

  // Any JSON (a result, a table, markdown text …).
  @Allow()
  data?: unknown;

  @IsOptional()
  @IsStringMap()
  metadata_?: Record<string, string> | null;

  @IsOptional()
  @IsLaxUuid()
  flow_run_id?: string | null;

  @IsOptional()
  @IsLaxUuid()
  task_run_id?: string | null;
}

/** `ArtifactUpdate`: the body of `PATCH /artifacts/{id}`; only the keys present are written. */
export class ArtifactUpdateDto {
  @Allow()
  data?: unknown;

  @IsOptional()
  @IsString()
  description?: string | null;

  @IsOptional()
  @IsStringMap()
  metadata_?: Record<string, string> | null;
}

/** Applies upstream's `validate_max_metadata_length`. */
export function truncatedMetadata(
  metadata: Record<string, string> | null | undefined,
): Record<string, string> | null {
  if (metadata == null) return null;
  return Object.fromEntries(
    Object.entries(metadata).map(([k, v]) => [
      k,
      v.length > MAX_METADATA_VALUE_LENGTH ? `${v.slice(0, MAX_METADATA_VALUE_LENGTH)}...` : v,
    ]),
  );
}

const ARTIFACT_FIELDS = {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  key: wire.nullable(wire.string()),
  type: wire.nullable(wire.string()),
  description: wire.nullable(wire.string()),
  data: wire.any(),
  metadata_: wire.nullable(wire.dict(wire.string())),
  flow_run_id: wire.nullable(wire.uuid()),
  task_run_id: wire.nullable(wire.uuid()),
};
/** `Artifact` on the wire (the metadata key is literally `metadata_`). */
export const ARTIFACT = wireModel('Artifact', ARTIFACT_FIELDS);
/** `ArtifactCollection`: the latest artifact of a key, plus `latest_id`. */
export const ARTIFACT_COLLECTION = wireModel('ArtifactCollection', {
  ...ARTIFACT_FIELDS,
  key: wire.string(), // a collection is the artifacts of one key
  latest_id: wire.uuid(),
});

export function artifactResponse(artifact: ArtifactRecord): WireOf<typeof ARTIFACT> {
  return {
    id: artifact.id,
    created: artifact.created,
    updated: artifact.updated,
    key: artifact.key,
    type: artifact.type,
    description: artifact.description,
    data: artifact.data,
    metadata_: artifact.metadata,
    flow_run_id: artifact.flowRunId,
    task_run_id: artifact.taskRunId,
  };
}

/** `ArtifactCollection` on the wire: the artifact fields plus `latest_id`. */
export function artifactCollectionResponse(
  collection: ArtifactCollectionRecord,
): WireOf<typeof ARTIFACT_COLLECTION> {
  return { ...artifactResponse(collection), latest_id: collection.latestId };
}
