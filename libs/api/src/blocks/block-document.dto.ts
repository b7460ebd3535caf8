import { IsObject, IsString, Matches, ValidateIf } from 'class-validator';
import { AbsentAllowed } from '../common/validators';
import { IsLaxBool, IsLaxUuid } from '../common/lax-scalars';

/** Block document names: lowercase letters, digits and dashes (Prefect's `BlockDocumentName`). */
const DOCUMENT_NAME_PATTERN = /^[a-z0-9-]*$/;
const NAME_MESSAGE = 'Block document name must only contain lowercase letters, numbers, and dashes.';

/** `BlockDocumentCreate`: the body of `POST /block_documents/`. */
export class BlockDocumentCreateDto {
  // Required unless the document is anonymous (then a name is generated).
  @ValidateIf(
    (o: BlockDocumentCreateDto, value: unknown) => !o.is_anonymous || (value !== undefined && value !== null),
  )
  @IsString({ message: 'Names must be provided for block documents.' })
  @Matches(/^[^/%&><]+$/)
  @Matches(DOCUMENT_NAME_PATTERN, { message: NAME_MESSAGE })
  name: string | null = null;

  @AbsentAllowed()
  @IsObject()
  data: Record<string, unknown> = {};

  @IsLaxUuid()
  block_schema_id!: string;

  @IsLaxUuid()
  block_type_id!: string;

  @AbsentAllowed()
  @IsLaxBool()
  is_anonymous: boolean = false;
}

/** `BlockDocumentUpdate`: the body of `PATCH /block_documents/{id}`. */
export class BlockDocumentUpdateDto {
  @ValidateIf((_o: object, value: unknown) => value !== undefined && value !== null)
  @IsLaxUuid()
  block_schema_id?: string | null;

  @AbsentAllowed()
  @IsObject()
  data?: Record<string, unknown>;

  @AbsentAllowed()
  @IsLaxBool()
  merge_existing_data: boolean = true;
}
