// API key uids as Meilisearch 1.50 reads them: with the Rust `uuid` crate (1.23.2), which takes
// the simple (32 hex digits), hyphenated, braced (`{…}`) and URN (`urn:uuid:…`) forms in any case,
// and explains a refusal in its own words (`invalid group count: expected 5, found 2`). Those
// words are the client's error message, so the crate's diagnosis is reproduced step by step,
// quirks included: it works on UTF-8 bytes, reads each character by its low byte, and for a
// braced or URN input of the wrong length only looks at part of it.

export type UidParse = { readonly uid: string } | { readonly error: string };

const HEX = /^[0-9a-fA-F]$/;
const HYPHENS = [8, 13, 18, 23];
const URN = 'urn:uuid:';
const GROUP_STARTS = [0, 9, 14, 19, 24];
const GROUP_LENGTHS = [8, 4, 4, 4, 12];

/** The uid in its canonical form (lowercase, hyphenated), or the crate's reason for refusing it. */
export function parseKeyUid(text: string): UidParse {
  const bytes = Buffer.byteLength(text);
  const valid = canonical(text, bytes);
  return valid !== undefined ? { uid: valid } : { error: diagnose(text, bytes) };
}

/** The crate's fast path: which lengths it tries as which form. */
function canonical(text: string, bytes: number): string | undefined {
  if (bytes !== text.length) return undefined; // non-ASCII: never a uuid
  if (bytes === 32) {
    if (![...text].every((c) => HEX.test(c))) return undefined;
    const t = text.toLowerCase();
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
  }
  const inner = hyphenatedPart(text, bytes);
  if (inner === undefined) return undefined;
  const ok = [...inner].every((c, i) => (HYPHENS.includes(i) ? c === '-' : HEX.test(c)));
  return ok ? inner.toLowerCase() : undefined;
}

/** The part the crate parses as a hyphenated uuid (36, braced 38 or URN 45 bytes), if any. */
function hyphenatedPart(text: string, bytes: number): string | undefined {
  if (bytes === 36) return text;
  if (bytes === 38 && text.startsWith('{') && text.endsWith('}')) return text.slice(1, -1);
  if (bytes === 45 && text.startsWith(URN)) return text.slice(URN.length);
  return undefined;
}

/** Which text the crate diagnoses, and as which form (its `InvalidUuid::into_err`). */
function diagnose(text: string, bytes: number): string {
  // A 36/38/45-byte input failed as a hyphenated uuid: the crate diagnoses that inner part.
  const inner = hyphenatedPart(text, bytes);
  return inner !== undefined ? intoErr(inner, 'hyphenated') : intoErr(text, 'any');
}

type Form = 'any' | 'hyphenated' | 'braced' | 'urn';

function intoErr(text: string, requested: 'any' | 'hyphenated'): string {
  const buf = Buffer.from(text, 'utf8');
  const len = buf.length;
  if (len === 0 || len > 45) return `invalid length: found ${len}`;
  let form: Form = requested;
  let start = 0;
  let end = len;
  if (requested === 'any' && len >= 2 && buf[0] === 0x7b && buf[len - 1] === 0x7d) {
    // The crate's range for a braced input stops two bytes short of the closing brace.
    [form, start, end] = ['braced', 1, len - 3];
  } else if (requested === 'any' && text.startsWith(URN)) {
    [form, start, end] = ['urn', URN.length, len - URN.length];
  }
  // Where the crate panics (the request gets no answer), Miroir answers with the plain length.
  if (end < start || !charBoundary(buf, start) || !charBoundary(buf, end)) return `invalid length: found ${len}`;

  let hyphens = 0;
  const bounds = [0, 0, 0, 0];
  let index = 0;
  for (const ch of buf.subarray(start, end).toString('utf8')) {
    const low = lowerAscii(ch.codePointAt(0)! & 0xff);
    if (low === 0x2d) {
      if (form === 'any') form = 'hyphenated';
      if (hyphens < 4) bounds[hyphens] = index;
      hyphens++;
    } else if (!isHexByte(low)) {
      return `invalid character: found \`${ch}\` at ${index + start}`;
    }
    index += Buffer.byteLength(ch);
  }
  if (form === 'any') return `invalid length: found ${len}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let group = 0; group < 4; group++) {
    if (bounds[group] !== GROUP_STARTS[group + 1]! - 1) {
      return `invalid group length in group ${group}: expected ${GROUP_LENGTHS[group]}, found ${bounds[group]! - GROUP_STARTS[group]!}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${len - GROUP_STARTS[4]!}`;
}

function lowerAscii(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

function isHexByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);
}

/** Whether a byte offset falls between UTF-8 characters (Rust panics slicing a str elsewhere). */
function charBoundary(buf: Buffer, offset: number): boolean {
  return offset >= buf.length || (buf[offset]! & 0xc0) !== 0x80;
}
