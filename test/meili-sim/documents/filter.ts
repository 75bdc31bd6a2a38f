// Document-route filters (GET …/documents?filter=, POST …/documents/fetch, POST …/documents/delete):
// parsed and evaluated by libs/core's filter module — the node has no filter parser of its own.
import { assertFilterable, FilterParseError, matchesFilter, parseFilter } from '@miroir/core/query';
import { SimError } from '../errors';
import type { Doc } from '../search/types';

export type DocPredicate = (doc: Doc) => boolean;

/** Returns null for "no filter"; throws invalid_document_filter for a bad or non-filterable filter. */
export function compileDocumentFilter(filter: unknown, filterableAttributes: string[]): DocPredicate | null {
  if (filter === undefined || filter === null) return null;
  try {
    const expr = parseFilter(filter as Parameters<typeof parseFilter>[0]);
    if (expr === null) return null;
    assertFilterable(expr, filterableAttributes);
    return (doc) => matchesFilter(expr, doc);
  } catch (err) {
    if (err instanceof SimError) throw new SimError('invalid_document_filter', err.message);
    if (err instanceof FilterParseError || err instanceof Error) throw new SimError('invalid_document_filter', err.message);
    throw err;
  }
}

/** Syntax-only check, done at request time (filterability is checked when the task runs). */
export function checkFilterSyntax(filter: unknown): void {
  try {
    parseFilter(filter as Parameters<typeof parseFilter>[0]);
  } catch (err) {
    if (err instanceof Error) throw new SimError('invalid_document_filter', err.message);
    throw err;
  }
}
