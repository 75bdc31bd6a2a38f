// A JSON reader for the parts of a tenant token that keeps where each value sits in the text.
// Meilisearch reads these parts with serde_json, whose errors end with "at line L column C"; a
// client that sends a malformed token gets the same message from Miroir only if the positions are
// known, which JSON.parse does not tell. Offsets are in bytes, as serde_json counts them.

export type JsonNode =
  | { readonly kind: 'null'; readonly start: number; readonly end: number }
  | { readonly kind: 'bool'; readonly start: number; readonly end: number; readonly value: boolean }
  | { readonly kind: 'number'; readonly start: number; readonly end: number; readonly text: string }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly start: number; readonly end: number; readonly members: readonly JsonMember[] };

export interface JsonMember {
  readonly key: string;
  /** Offset just after the key's closing quote. */
  readonly keyEnd: number;
  readonly value: JsonNode;
}

/** A serde_json error message with its position (`… at line 1 column 7`). */
export class JsonTextError extends Error {}

/** serde_json's position of a byte offset: 1-based line, column = bytes since the line start. */
export function positionAt(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line} column ${offset - lineStart}`;
}

export function jsonError(bytes: Uint8Array, message: string, offset: number): JsonTextError {
  return new JsonTextError(`${message} at ${positionAt(bytes, offset)}`);
}

const MAX_DEPTH = 128; // serde_json's recursion limit
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set([...'"\\/bfnrtu'].map((c) => c.charCodeAt(0)));
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

class Reader {
  i = 0;
  constructor(readonly b: Uint8Array) {}

  /** A syntax error about the byte at `at` (serde_json reports the position just past it). */
  fail(message: string, at = this.i): never {
    throw jsonError(this.b, message, Math.min(this.b.length, at + 1));
  }

  ws(): void {
    while (this.i < this.b.length && WS.has(this.b[this.i]!)) this.i++;
  }

  value(depth: number): JsonNode {
    this.ws();
    const c = this.b[this.i];
    if (c === undefined) this.fail('EOF while parsing a value');
    const start = this.i;
    if (c === 0x22) return { kind: 'string', start, value: this.string(), end: this.i };
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) this.fail('recursion limit exceeded');
      return c === 0x7b ? this.object(depth) : this.array(depth);
    }
    if (c === 0x74) return this.ident('true', { kind: 'bool', start, end: start + 4, value: true });
    if (c === 0x66) return this.ident('false', { kind: 'bool', start, end: start + 5, value: false });
    if (c === 0x6e) return this.ident('null', { kind: 'null', start, end: start + 4 });
    if (c === 0x2d || isDigit(c)) return this.number();
    return this.fail('expected value');
  }

  ident<T extends JsonNode>(word: string, node: T): T {
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.b[this.i] === undefined) this.fail('EOF while parsing a value');
      if (this.b[this.i] !== word.charCodeAt(k)) this.fail('expected ident');
    }
    return node;
  }

  number(): JsonNode {
    const start = this.i;
    if (this.b[this.i] === 0x2d) this.i++;
    if (!isDigit(this.b[this.i])) this.fail(this.b[this.i] === undefined ? 'EOF while parsing a value' : 'invalid number');
    if (this.b[this.i] === 0x30) this.i++;
    else while (isDigit(this.b[this.i])) this.i++;
    if (this.b[this.i] === 0x2e) {
      this.i++;
      if (!isDigit(this.b[this.i])) this.fail(this.b[this.i] === undefined ? 'EOF while parsing a value' : 'invalid number');
      while (isDigit(this.b[this.i])) this.i++;
    }
    if (this.b[this.i] === 0x65 || this.b[this.i] === 0x45) {
      this.i++;
      if (this.b[this.i] === 0x2b || this.b[this.i] === 0x2d) this.i++;
      if (!isDigit(this.b[this.i])) this.fail(this.b[this.i] === undefined ? 'EOF while parsing a value' : 'invalid number');
      while (isDigit(this.b[this.i])) this.i++;
    }
    return { kind: 'number', start, end: this.i, text: Buffer.from(this.b.subarray(start, this.i)).toString('latin1') };
  }

  /** A string starting at the opening quote; leaves `i` just past the closing quote. */
  string(): string {
    const start = this.i++;
    for (;;) {
      const c = this.b[this.i];
      if (c === undefined) this.fail('EOF while parsing a string');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c === 0x5c) {
        this.i++;
        const e = this.b[this.i];
        if (e === undefined) this.fail('EOF while parsing a string');
        if (!ESCAPES.has(e)) this.fail('invalid escape');
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) {
            const h = this.b[this.i + k];
            if (h === undefined) this.fail('EOF while parsing a string', this.i + k);
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(h))) this.fail('invalid escape', this.i + k);
          }
          this.i += 4;
        }
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(Buffer.from(this.b.subarray(start, this.i)).toString('utf8')) as string;
  }

  object(depth: number): JsonNode {
    const start = this.i++;
    const members: JsonMember[] = [];
    this.ws();
    if (this.b[this.i] === 0x7d) return { kind: 'object', start, end: ++this.i, members };
    for (;;) {
      this.ws();
      const c = this.b[this.i];
      if (c === undefined) this.fail('EOF while parsing an object');
      if (c !== 0x22) this.fail('key must be a string');
      const key = this.string();
      const keyEnd = this.i;
      this.ws();
      if (this.b[this.i] === undefined) this.fail('EOF while parsing an object');
      if (this.b[this.i] !== 0x3a) this.fail('expected `:`');
      this.i++;
      members.push({ key, keyEnd, value: this.value(depth + 1) });
      this.ws();
      const d = this.b[this.i];
      if (d === undefined) this.fail('EOF while parsing an object');
      this.i++;
      if (d === 0x7d) return { kind: 'object', start, end: this.i, members };
      if (d !== 0x2c) this.fail('expected `,` or `}`', this.i - 1);
      this.ws();
      if (this.b[this.i] === 0x7d) this.fail('trailing comma');
    }
  }

  array(depth: number): JsonNode {
    const start = this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.b[this.i] === 0x5d) return { kind: 'array', start, end: ++this.i, items };
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const d = this.b[this.i];
      if (d === undefined) this.fail('EOF while parsing a list');
      this.i++;
      if (d === 0x5d) return { kind: 'array', start, end: this.i, items };
      if (d !== 0x2c) this.fail('expected `,` or `]`', this.i - 1);
      this.ws();
      if (this.b[this.i] === 0x5d) this.fail('trailing comma');
    }
  }
}

/** The one JSON value of `bytes`, with positions; throws JsonTextError worded as serde_json. */
export function parseJsonText(bytes: Uint8Array): JsonNode {
  const reader = new Reader(bytes);
  const node = reader.value(0);
  reader.ws();
  if (reader.i < bytes.length) reader.fail('trailing characters');
  return node;
}

/** The plain value of a node (duplicate keys: the last one wins, as in a serde map). */
export function plainValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return node.value;
    case 'number':
      return Number(node.text);
    case 'array':
      return node.items.map(plainValue);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const m of node.members) Object.defineProperty(out, m.key, { value: plainValue(m.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}

/** The end offset of the next non-blank byte after `offset`, past it when it closes the object. */
export function afterStructEnd(bytes: Uint8Array, offset: number): number {
  let i = offset;
  while (i < bytes.length && WS.has(bytes[i]!)) i++;
  return bytes[i] === 0x7d ? i + 1 : i;
}
