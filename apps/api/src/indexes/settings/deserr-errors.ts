import { describeValue } from '../../errors/describe-value';
import { MeiliError } from '../../errors/meili-error';

// Meilisearch validates request bodies with deserr; these reproduce its wording for the settings
// and keys routes ("Invalid value type at `.x`: expected …, but found …").

const at = (path: string): string => (path ? ` at \`${path}\`` : '');
const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

export const deserr = {
  invalidType: (code: string, path: string, expected: string, value: unknown) =>
    new MeiliError(code, `Invalid value type${at(path)}: expected ${expected}, but found ${describeValue(value)}`),
  invalidValue: (code: string, path: string, message: string) => new MeiliError(code, `Invalid value${at(path)}: ${message}`),
  unknownField: (code: string, field: string, expected: readonly string[], inside = '') =>
    new MeiliError(code, `Unknown field \`${field}\`${inside ? ` inside \`${inside}\`` : ''}: expected one of ${list(expected)}`),
};
