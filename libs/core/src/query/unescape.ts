// Escape processing of filter values. filter-parser runs every value through the `unescaper` crate
// (after removing the escaped quote of a quoted string); this is the same algorithm, so that
// `'foo\\'`, `"\x20"`, `"\u{1F600}"` and `"\101"` decode to what Meilisearch compares against.

export type UnescapeResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: 'incomplete' | 'invalidChar' | 'parseInt' };

const HEX = /^\+?[0-9a-fA-F]+$/;

function parseRadix(digits: string, radix: 8 | 16, max: number): number | null {
  const valid = radix === 16 ? HEX.test(digits) : /^\+?[0-7]+$/.test(digits);
  if (!valid) return null;
  const value = parseInt(digits.replace(/^\+/, ''), radix);
  return value > max ? null : value;
}

export function unescapeValue(input: string): UnescapeResult {
  const chars = Array.from(input);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i++]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (i >= chars.length) return { ok: false, error: 'incomplete' };
    const marker = chars[i++]!;
    switch (marker) {
      case 'b':
        out += '\u0008';
        continue;
      case 'f':
        out += '\u000c';
        continue;
      case 'n':
        out += '\n';
        continue;
      case 'r':
        out += '\r';
        continue;
      case 't':
        out += '\t';
        continue;
      case 'v':
        out += '\u000b';
        continue;
      case "'":
      case '"':
      case '\\':
      case '/':
        out += marker;
        continue;
      case 'u': {
        if (i >= chars.length) return { ok: false, error: 'incomplete' };
        let digits = '';
        if (chars[i] === '{') {
          i++;
          while (i < chars.length) {
            const n = chars[i++]!;
            if (n === '}') break;
            digits += n;
          }
        } else {
          for (let k = 0; k < 4; k++) {
            if (i >= chars.length) return { ok: false, error: 'incomplete' };
            digits += chars[i++]!;
          }
        }
        const code = parseRadix(digits, 16, 0xffffffff);
        if (code === null) return { ok: false, error: 'parseInt' };
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return { ok: false, error: 'invalidChar' };
        out += String.fromCodePoint(code);
        continue;
      }
      case 'x': {
        let digits = '';
        for (let k = 0; k < 2; k++) {
          if (i >= chars.length) return { ok: false, error: 'incomplete' };
          digits += chars[i++]!;
        }
        const byte = parseRadix(digits, 16, 0xff);
        if (byte === null) return { ok: false, error: 'parseInt' };
        out += String.fromCharCode(byte);
        continue;
      }
      default: {
        // Octal: a first digit 0-3 takes up to two more digits, 4-7 up to one more.
        if (!/^[0-7]$/.test(marker)) return { ok: false, error: 'invalidChar' };
        let digits = marker;
        const extra = marker <= '3' ? 2 : 1;
        for (let k = 0; k < extra && i < chars.length && /^[0-7]$/.test(chars[i]!); k++) digits += chars[i++]!;
        out += String.fromCharCode(parseInt(digits, 8));
      }
    }
  }
  return { ok: true, value: out };
}
