import { MeiliError } from '../../errors/meili-error';

// Meilisearch validates request bodies with deserr; these reproduce its wording for the settings
// and keys routes ("Invalid value type at `.x`: expected …, but found …").

/** How deserr describes a JSON value. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a sequence: \`${JSON.stringify(value)}\``;
  switch (typeof value) {
    case 'string':
      return `a string: \`${JSON.stringify(value)}\``;
    case 'number':
      if (!Number.isInteger(value)) return `a number: \`${value}\``;
      return value >= 0 ? `a positive integer: \`${value}\`` : `a negative integer: \`${value}\``;
    case 'boolean':
      return `a boolean: \`${value}\``;
    case 'object':
      return `a map: \`${JSON.stringify(value)}\``;
    default:
      return String(value);
  }
}

const at = (path: string): string => (path ? ` at \`${path}\`` : '');
const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

export const deserr = {
  invalidType: (code: string, path: string, expected: string, value: unknown) =>
    new MeiliError(code, `Invalid value type${at(path)}: expected ${expected}, but found ${describeValue(value)}`),
  invalidValue: (code: string, path: string, message: string) => new MeiliError(code, `Invalid value${at(path)}: ${message}`),
  unknownField: (code: string, field: string, expected: readonly string[], inside = '') =>
    new MeiliError(code, `Unknown field \`${field}\`${inside ? ` inside \`${inside}\`` : ''}: expected one of ${list(expected)}`),
};
