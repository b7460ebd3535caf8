import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { type ArtifactChanges, ArtifactRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { ARTIFACT_BODY, ARTIFACT_COLLECTION_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria, parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  artifactCollectionResponse,
  ArtifactCreateDto,
  artifactResponse,
  ArtifactUpdateDto,
  truncatedMetadata,
} from './artifact.dto';
import { ArtifactsService } from './artifacts.service';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { ARTIFACT } from './artifact.dto';
import { ARTIFACT_COLLECTION } from './artifact.dto';

const ARTIFACT_NOT_FOUND = 'Artifact not found.';

/** `/api/artifacts` (spec-api-orchestration §7.5). */
@Controller('artifacts')
export class ArtifactsController {
  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly writes: ArtifactsService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** Always a new row, so always 201 (upstream's "created by this request" rule). */
  @ApiWireResponse(ARTIFACT, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: ArtifactCreateDto): Promise<object> {
    const artifact = await this.writes.create({
      key: body.key ?? null,
      type: body.type ?? null,
      description: body.description ?? null,
      data: body.data ?? null,
      metadata: truncatedMetadata(body.metadata_),
      flowRunId: body.flow_run_id?.toLowerCase() ?? null,
      taskRunId: body.task_run_id?.toLowerCase() ?? null,
    });
    return artifactResponse(artifact);
  }

  @ApiWireResponse(wire.array(ARTIFACT))
  @ApiFilterBody(ARTIFACT_BODY, 'list')
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(ARTIFACT_BODY, body, this.options.defaultLimit);
    return (await this.artifacts.list(request)).map(artifactResponse);
  }

  @ApiFilterBody(ARTIFACT_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.artifacts.count(parseFilterCriteria(ARTIFACT_BODY, body));
  }

  @ApiWireResponse(wire.array(ARTIFACT_COLLECTION))
  @ApiFilterBody(ARTIFACT_COLLECTION_BODY, 'list')
  @Post('latest/filter')
  @HttpCode(200)
  async filterLatest(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(ARTIFACT_COLLECTION_BODY, body, this.options.defaultLimit);
    return (await this.artifacts.listLatest(request)).map(artifactCollectionResponse);
  }

  @ApiFilterBody(ARTIFACT_COLLECTION_BODY, 'count')
  @Post('latest/count')
  @HttpCode(200)
  countLatest(@Body() body: unknown): Promise<number> {
    return this.artifacts.countLatest(parseFilterCriteria(ARTIFACT_COLLECTION_BODY, body));
  }

  /**
   * Upstream answers with its `Artifact` response model built from the collection row, so `id` is
   * the collection's id and `latest_id` is not included.
   */
  @ApiWireResponse(ARTIFACT)
  @Get(':key/latest')
  async readLatest(@Param('key') key: string): Promise<object> {
    const collection = await this.artifacts.getLatest(key);
    if (collection === null) throw PrefectHttpError.notFound(ARTIFACT_NOT_FOUND);
    return artifactResponse(collection);
  }

  @ApiWireResponse(ARTIFACT)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const artifact = await this.artifacts.get(id);
    if (artifact === null) throw PrefectHttpError.notFound(ARTIFACT_NOT_FOUND);
    return artifactResponse(artifact);
  }

  /** Writes the keys sent to the artifact and, when it is the latest of its key, to the collection. */
  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: ArtifactUpdateDto): Promise<void> {
    const changes: ArtifactChanges = {
      ...(body.data !== undefined ? { data: body.data } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.metadata_ !== undefined ? { metadata: truncatedMetadata(body.metadata_) } : {}),
    };
    if (!(await this.artifacts.update(id, changes))) throw PrefectHttpError.notFound(ARTIFACT_NOT_FOUND);
  }

  /** Repoints the key's collection to the next newest artifact, or deletes it. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.writes.delete(id))) throw PrefectHttpError.notFound(ARTIFACT_NOT_FOUND);
  }
}
