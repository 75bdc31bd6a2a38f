// Strict base64url (no padding) decoding of JWT parts, refusing what Meilisearch's JWT decoder
// refuses and with its wording (checked against Meilisearch 1.50): Node's own base64 decoding
// silently skips bad characters, which would accept tokens a single Meilisearch refuses.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
const PAD = 0x3d; // '='

export class Base64Error extends Error {}

/** The bytes of a base64url part; throws Base64Error("Base64 error: …") as Meilisearch words it. */
export function decodeBase64Url(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  let symbols = bytes.length;
  // Trailing '=' after at least two symbols of the last quad is padding, which this alphabet forbids.
  let padStart = bytes.length;
  while (padStart > 0 && bytes[padStart - 1] === PAD) padStart--;
  const padded = padStart < bytes.length && padStart % 4 >= 2;
  if (padded) symbols = padStart;
  for (let i = 0; i < symbols; i++) {
    if (!VALUE.has(bytes[i]!)) throw new Base64Error(`Base64 error: Invalid symbol ${bytes[i]}, offset ${i}.`);
  }
  if (padded) throw new Base64Error('Base64 error: Invalid padding');
  const rest = symbols % 4;
  if (rest === 1) throw new Base64Error(`Base64 error: Invalid input length: ${symbols}`);
  // The unused low bits of the last symbol must be zero (canonical encoding only).
  if (rest > 1) {
    const last = bytes[symbols - 1]!;
    const unused = rest === 2 ? 0x0f : 0x03;
    if ((VALUE.get(last)! & unused) !== 0) throw new Base64Error(`Base64 error: Invalid last symbol ${last}, offset ${symbols - 1}.`);
  }
  return Buffer.from(bytes.subarray(0, symbols).toString('latin1'), 'base64url');
}
