import { parseFilter } from '@miroir/core';
import { isNodeHttpError, seg, type NodeClient } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { MeiliError } from '../errors/meili-error';

// `/similar` with a tenant token (docs/api-compatibility.md, tenant tokens). Meilisearch 1.50 hides a
// reference document that the token's rule filter excludes: it answers `Document \`{id}\` not
// found.` as if it did not exist, after checking the embedder and parsing the filters, but before
// the client filter is evaluated. The node asked for the similar documents sees only Miroir's own
// key, so Miroir checks the reference document against the rule itself, on the same node.

interface FetchAnswer {
  readonly results?: readonly unknown[];
}

/** Refuses when the document with `id` does not pass the rule filter (or does not exist). */
async function assertVisible(client: NodeClient, index: IndexRecord, id: string, rule: unknown): Promise<void> {
  let answer: FetchAnswer;
  try {
    const fields = index.primaryKey ? [index.primaryKey] : [];
    answer = await client.call<FetchAnswer>('POST', `/indexes/${seg(index.uid)}/documents/fetch`, { json: { ids: [id], filter: rule, fields, limit: 1 } });
  } catch (err) {
    // Meilisearch evaluates the rule as a search filter: same words, search's code.
    if (isNodeHttpError(err, 'invalid_document_filter')) {
      const e = MeiliError.fromNode(err.status, err.toMeiliError());
      throw new MeiliError('invalid_search_filter', e.message, e.status, e.type);
    }
    throw err;
  }
  if (!answer.results || answer.results.length === 0) throw new MeiliError('not_found_similar_id', `Document \`${id}\` not found.`);
}

function parses(filter: unknown): boolean {
  try {
    parseFilter(filter);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the reference node's `/similar` (`run`), then applies Meilisearch's precedence: an unknown
 * embedder or a filter that does not parse is reported as the node reports it; otherwise a
 * reference document outside the token's rule filter is "not found", whatever else failed.
 */
export async function withTenantReference<T>(
  client: NodeClient,
  index: IndexRecord,
  q: { readonly id: string; readonly filter?: unknown },
  rule: unknown,
  run: () => Promise<T>,
): Promise<T> {
  if (rule === undefined || rule === null) return run();
  let result: T;
  try {
    result = await run();
  } catch (err) {
    if (!isNodeHttpError(err, 'invalid_similar_embedder') && parses(q.filter)) await assertVisible(client, index, q.id, rule);
    throw err;
  }
  await assertVisible(client, index, q.id, rule);
  return result;
}
