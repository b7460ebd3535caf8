import { namedResource, serverEvent } from '@orrery/events';
import type { BlockDocumentRecord, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.block-document.created|updated|deleted` (upstream `lifecycle.block_document_*_event`):
 * resource `prefect.block-document.<id>` named after the document, related to its block type and
 * schema; payload `{name, data, block_schema: {capabilities, block_type: {id, name}}}` where `data`
 * keeps only the top-level string values that are not secret fields. Anonymous documents emit
 * nothing (the caller checks).
 */
export function blockDocumentEvent(
  action: 'created' | 'updated' | 'deleted',
  document: BlockDocumentRecord,
  maskedData: Record<string, unknown>,
): OutboxMessage {
  const secretFields = new Set(
    Array.isArray(document.block_schema.fields['secret_fields'])
      ? (document.block_schema.fields['secret_fields'] as unknown[])
      : [],
  );
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(maskedData))
    if (!secretFields.has(key) && typeof value === 'string') data[key] = value;
  const blockType: Record<string, string> = {
    'prefect.resource.id': `prefect.block-type.${document.block_type_id}`,
    'prefect.resource.role': 'block-type',
  };
  if (document.block_type_name) blockType['prefect.resource.name'] = document.block_type_name;
  return serverEvent(
    `prefect.block-document.${action}`,
    namedResource('block-document', document.id, document.name),
    [
      blockType,
      {
        'prefect.resource.id': `prefect.block-schema.${document.block_schema_id}`,
        'prefect.resource.role': 'block-schema',
      },
    ],
    {
      name: document.name,
      data,
      block_schema: {
        capabilities: document.block_schema.capabilities,
        block_type: { id: document.block_type_id, name: document.block_type_name ?? '' },
      },
    },
  );
}
