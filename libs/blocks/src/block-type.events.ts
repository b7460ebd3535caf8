import { namedResource, serverEvent } from '@orrery/events';
import type { BlockTypeRecord, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.block-type.created|updated|deleted` (upstream `lifecycle.block_type_*_event`): resource
 * `prefect.block-type.<id>` named after the type; payload its presentation fields and protection.
 */
export function blockTypeEvent(
  action: 'created' | 'updated' | 'deleted',
  type: BlockTypeRecord,
): OutboxMessage {
  return serverEvent(`prefect.block-type.${action}`, namedResource('block-type', type.id, type.name), [], {
    name: type.name,
    slug: type.slug,
    logo_url: type.logo_url,
    documentation_url: type.documentation_url,
    description: type.description,
    code_example: type.code_example,
    is_protected: type.is_protected,
  });
}
