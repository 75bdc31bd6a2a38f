import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes that make the Temporal UI's workflow list the audit log of Miroir's
// operations (docs/design.md#workflows). Pure definitions: safe to import from workflow code.
export const MiroirIndex = defineSearchAttributeKey('MiroirIndex', SearchAttributeType.KEYWORD);
export const MiroirOperation = defineSearchAttributeKey('MiroirOperation', SearchAttributeType.KEYWORD);
export const MiroirNode = defineSearchAttributeKey('MiroirNode', SearchAttributeType.KEYWORD);
export const MiroirRequestedBy = defineSearchAttributeKey('MiroirRequestedBy', SearchAttributeType.KEYWORD);

/** Name → Temporal type, as `temporal server start-dev --search-attribute NAME=TYPE` wants them. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<readonly [string, 'Keyword']> = [
  ['MiroirIndex', 'Keyword'],
  ['MiroirOperation', 'Keyword'],
  ['MiroirNode', 'Keyword'],
  ['MiroirRequestedBy', 'Keyword'],
];
