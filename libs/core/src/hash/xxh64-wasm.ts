// Batch shard computation on the WebAssembly XXH64 of xxh64.wat: the routing hot path.
//
// Keys are copied (as UTF-8, each followed by the 0xFF terminator of docs/design.md#hashing) into the module's
// memory and hashed in one call per chunk. Hosts without WebAssembly — Temporal's workflow sandbox
// may be one — get `false` back and use the pure-JS hash; both give identical shards
// (test/unit/core/hash-wasm.spec.ts).

import { writeUtf8 } from './utf8';
import { XXH64_WASM } from './xxh64-wasm-module';

/** The few WebAssembly host APIs used, typed here because the project's `lib` has no DOM types. */
interface WasmHost {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface Xxh64Exports {
  memory: { buffer: ArrayBuffer };
  shards(ends: number, count: number, data: number, out: number, shardCount: number): void;
  xxh64(p: number, len: number): bigint;
}

// The module's fixed 4-page (256 KiB) memory: 16,384 u32 end offsets, 16,384 u32 results, then
// 128 KiB of key bytes. A chunk is flushed when either fills; memory never grows, so views stay valid.
const ENDS = 0;
const OUT = 64 * 1024;
const DATA = 128 * 1024;
const DATA_END = 256 * 1024;
const MAX_KEYS = 16 * 1024;
const KEY_TERMINATOR = 0xff;

interface Loaded {
  readonly exports: Xxh64Exports;
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
}

let loaded: Loaded | null | undefined;

function load(): Loaded | null {
  if (loaded === undefined) {
    loaded = null;
    const host = (globalThis as { WebAssembly?: WasmHost }).WebAssembly;
    if (host !== undefined) {
      try {
        const exports = new host.Instance(new host.Module(XXH64_WASM)).exports as Xxh64Exports;
        loaded = { exports, bytes: new Uint8Array(exports.memory.buffer), words: new Uint32Array(exports.memory.buffer) };
      } catch {
        // Compilation refused by the host (e.g. a sandbox with code generation disabled).
        loaded = null;
      }
    }
  }
  return loaded;
}

/** Whether this host can run the WebAssembly hash. */
export function wasmHashAvailable(): boolean {
  return load() !== null;
}

/**
 * `out[k] = XXH64(utf8(keys[k]) ‖ 0xFF) mod shardCount` for every k. Returns false, writing nothing,
 * when WebAssembly is unavailable. Keys longer than the data region (over ~43,000 UTF-16 units,
 * far beyond any valid primary key) get `-1`, for the caller to hash another way.
 */
export function shardsOfKeysWasm(keys: readonly string[], shardCount: number, out: Int32Array): boolean {
  const w = load();
  if (w === null) return false;
  const { exports, bytes, words } = w;
  let first = 0;
  let count = 0;
  let pos = DATA;
  const flush = (): void => {
    exports.shards(ENDS, count, DATA, OUT, shardCount);
    for (let j = 0; j < count; j++) out[first + j] = words[(OUT >> 2) + j]!;
    first += count;
    count = 0;
    pos = DATA;
  };
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const n = key.length;
    if (count === MAX_KEYS || pos + 3 * n + 1 > DATA_END) flush();
    if (DATA + 3 * n + 1 > DATA_END) {
      // Cannot fit even alone: skip it in this batch (its slot is reported as -1).
      if (count > 0) flush();
      out[k] = -1;
      first = k + 1;
      continue;
    }
    // Valid primary keys are ASCII: copy units straight, redo with the UTF-8 writer otherwise.
    let any = 0;
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(i);
      any |= c;
      bytes[pos + i] = c;
    }
    const end = any < 0x80 ? pos + n : writeUtf8(key, bytes, pos);
    bytes[end] = KEY_TERMINATOR;
    pos = end + 1;
    words[(ENDS >> 2) + count] = pos;
    count++;
  }
  if (count > 0) flush();
  return true;
}

/** XXH64 (seed 0) of `input` through the WebAssembly module, or null without WebAssembly. For tests. */
export function xxh64Wasm(input: Uint8Array): bigint | null {
  const w = load();
  if (w === null || input.length > DATA_END - DATA) return null;
  w.bytes.set(input, DATA);
  return BigInt.asUintN(64, w.exports.xxh64(DATA, input.length));
}
