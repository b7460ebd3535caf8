import { Body, Controller, Delete, Get, HttpCode, Optional, Put } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { ResultStorageDefaultRepository } from '@orrery/persistence';

import { PrefectHttpError } from '../http/prefect-http.error';
import { settingsResponse } from './settings-wire';
import { IsLaxUuid } from '../common/lax-scalars';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';

const RESULT_STORAGE = wireModel('ServerDefaultResultStorage', {
  default_result_storage_block_id: wire.nullable(wire.uuid()),
});

/** `ServerDefaultResultStorageUpdate`. */
export class ResultStorageUpdateDto {
  @IsLaxUuid()
  default_result_storage_block_id!: string;
}

/**
 * `/api/admin/settings` and `/api/admin/storage` (spec-api §8.1; `/admin/version` is served with
 * the root endpoints). Settings are the loaded tree with every secret masked (auth string, database
 * password, passwords inside URLs), keys in Prefect's snake_case.
 */
@Controller('admin')
export class AdminController {
  constructor(
    private readonly storage: ResultStorageDefaultRepository,
    @Optional() @InjectSettings() private readonly settings?: Settings,
  ) {}

  /** Orrery's own settings tree (the settings this server reads), not Prefect's full Settings model. */
  @ApiWireResponse(wire.dict())
  @Get('settings')
  readSettings(): Record<string, unknown> {
    // Every server process provides the settings; a composition without them has none to show.
    if (this.settings === undefined) throw new PrefectHttpError(503, 'Settings are not available');
    return settingsResponse(this.settings);
  }

  @ApiWireResponse(RESULT_STORAGE)
  @Get('storage')
  async readStorage(): Promise<WireOf<typeof RESULT_STORAGE>> {
    return { default_result_storage_block_id: await this.storage.read() };
  }

  /** 404 for an unknown block document, 422 when its schema lacks the `write-path` capability. */
  @ApiWireResponse(RESULT_STORAGE)
  @Put('storage')
  async updateStorage(@Body() body: ResultStorageUpdateDto): Promise<WireOf<typeof RESULT_STORAGE>> {
    const id = body.default_result_storage_block_id;
    const outcome = await this.storage.set(id);
    if (outcome === 'block-document-not-found')
      throw PrefectHttpError.notFound(`Block document ${id} not found.`);
    if (outcome === 'not-a-storage-block') {
      throw PrefectHttpError.unprocessable(`Block document ${id} cannot be used for result storage.`);
    }
    return { default_result_storage_block_id: await this.storage.read() };
  }

  @Delete('storage')
  @HttpCode(204)
  async clearStorage(): Promise<void> {
    await this.storage.clear();
  }
}
