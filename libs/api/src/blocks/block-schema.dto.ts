import { IsArray, IsObject, IsString, IsUUID } from 'class-validator';
import { AbsentAllowed } from '../common/validators';

/** `BlockSchemaCreate`: the body of `POST /block_schemas/`. */
export class BlockSchemaCreateDto {
  @AbsentAllowed()
  @IsObject()
  fields: Record<string, unknown> = {};

  @IsUUID()
  block_type_id!: string;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  capabilities: string[] = [];

  @AbsentAllowed()
  @IsString()
  version: string = 'non-versioned';
}
