/**
 * Meilisearch parses JSON with serde_json, whose recursion limit is 128 nested arrays/objects;
 * deeper bodies are refused. Miroir applies the same limit at the edge, which also keeps every
 * later walk over a body (reserved-field checks, routing, re-serialising) within the stack.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests arrays/objects deeper than `limit`. Iterative: safe on any depth. */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

export const DEPTH_MESSAGE = `recursion limit exceeded: JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
