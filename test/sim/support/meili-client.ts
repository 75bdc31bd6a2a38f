// Loads the official `meilisearch` client (ESM-only) inside jest. Jest's CommonJS module system
// cannot load it, so we ask Node's own loader for it (Node >= 20.19 can require() ESM), reaching
// the real `process` through a function created in the outer realm (jest sandboxes `process` and
// `module`). Types come from the package's declarations via a type-only import.
import type * as MeiliModule from 'meilisearch/dist/index';

export type Meili = typeof MeiliModule;
export type MeiliClient = InstanceType<Meili['Meilisearch']>;

let cached: Meili | null = null;

export function loadMeilisearch(): Meili {
  if (cached) return cached;
  const OuterFunction = Buffer.from.constructor as FunctionConstructor;
  const realProcess = OuterFunction('return process')() as NodeJS.Process & { getBuiltinModule(id: string): unknown };
  const nodeModule = realProcess.getBuiltinModule('node:module') as typeof import('node:module');
  cached = nodeModule.createRequire(__filename)('meilisearch') as Meili;
  return cached;
}
