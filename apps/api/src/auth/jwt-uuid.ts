// The `apiKeyUid` claim read as Meilisearch reads it (the Rust `uuid` crate): simple (32 hex digits),
// hyphenated, `{braced}` or `urn:uuid:` forms, in any case; the errors worded as Meilisearch 1.50
// words them. Keys are looked up by the lowercase hyphenated form, the one their value derives from.

const GROUP_STARTS = [0, 9, 14, 19, 24];
const GROUP_LENGTHS = [8, 4, 4, 4, 12];
const HEX = /^[0-9a-fA-F]$/;

export class UuidError extends Error {}

function normalize(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function tryParse(text: string): string | undefined {
  let body = text;
  if (text.length === 38 && text.startsWith('{') && text.endsWith('}')) body = text.slice(1, -1);
  else if (text.length === 45 && text.startsWith('urn:uuid:')) body = text.slice(9);
  if (body.length === 32 && body === text && [...body].every((c) => HEX.test(c))) return normalize(body);
  if (body.length !== 36) return undefined;
  for (let i = 0; i < 36; i++) {
    const c = body[i]!;
    if ([8, 13, 18, 23].includes(i) ? c !== '-' : !HEX.test(c)) return undefined;
  }
  return normalize(body.replace(/-/g, ''));
}

/** Why `text` is not a uuid, found the way the `uuid` crate explains a failed parse. */
function explain(text: string): string {
  let body = text;
  let offset = 0;
  let simple = true;
  if (text.length >= 2 && text.startsWith('{') && text.endsWith('}')) [body, offset, simple] = [text.slice(1, -1), 1, false];
  else if (text.startsWith('urn:uuid:')) [body, offset, simple] = [text.slice(9), 9, false];
  let hyphens = 0;
  const bounds: number[] = [];
  let index = 0;
  for (const c of body) {
    if (c === '-') {
      if (hyphens < 4) bounds.push(index);
      hyphens++;
    } else if (!HEX.test(c)) {
      return `invalid character: found \`${c}\` at ${index + offset}`;
    }
    index += Buffer.byteLength(c);
  }
  const length = Buffer.byteLength(text);
  if (hyphens === 0 && simple) return `invalid length: found ${length}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let g = 0; g < 4; g++) {
    if (bounds[g] !== GROUP_STARTS[g + 1]! - 1) {
      return `invalid group length in group ${g}: expected ${GROUP_LENGTHS[g]}, found ${bounds[g]! - GROUP_STARTS[g]!}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${length - GROUP_STARTS[4]!}`;
}

/** The lowercase hyphenated uuid of `text`; throws UuidError("UUID parsing failed: …"). */
export function parseUuid(text: string): string {
  const uuid = tryParse(text);
  if (uuid === undefined) throw new UuidError(`UUID parsing failed: ${explain(text)}`);
  return uuid;
}
