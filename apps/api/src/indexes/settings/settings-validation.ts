import { SETTINGS_SUB_ROUTES } from '@miroir/meili';
import { deserr } from './deserr-errors';

// Synchronous validation of settings bodies, as Meilisearch does before enqueuing a task: value
// types, known fields, enumerations. Semantic checks Meilisearch makes while processing the task
// (e.g. typo tolerance word sizes, embedder configurations) are left to the nodes; their error then
// fails the Miroir task, as it fails the Meilisearch task.

export const SETTING_NAMES: readonly string[] = SETTINGS_SUB_ROUTES.map((r) => r.name);

const RANKING_RULES = new Set(['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness']);
const CUSTOM_RULE = /^(.+):(asc|desc)$/;

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const settingCode = (name: string): string => `invalid_settings_${snake(name)}`;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(code: string, path: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw deserr.invalidType(code, path, 'an array', v);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw deserr.invalidType(code, `${path}[${i}]`, 'a string', x);
  });
  return v as string[];
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, code: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw deserr.unknownField(code, k, allowed, path);
}

function nonNegInt(code: string, path: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw deserr.invalidType(code, path, 'a positive integer', v);
}

function oneOf(code: string, path: string, v: unknown, allowed: readonly string[]): void {
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw deserr.invalidValue(code, path, `Unknown value \`${String(v)}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
  }
}

/**
 * Checks one setting's value (not null: null resets). `root` is true for a sub-route body, whose
 * errors Meilisearch reports at the root rather than at `.settingName`.
 */
export function validateSetting(name: string, value: unknown, root = false): void {
  const code = settingCode(name);
  const p = (suffix = ''): string => (root ? suffix : `.${name}${suffix}`);
  switch (name) {
    case 'displayedAttributes':
    case 'searchableAttributes':
    case 'sortableAttributes':
    case 'stopWords':
    case 'nonSeparatorTokens':
    case 'separatorTokens':
    case 'dictionary':
      stringArray(code, p(), value);
      return;
    case 'filterableAttributes':
      if (!Array.isArray(value)) throw deserr.invalidType(code, p(), 'an array', value);
      value.forEach((x, i) => {
        if (typeof x === 'string') return;
        // Granular filterable attributes (Meilisearch ≥ 1.14): the node checks the details.
        if (isPlainObject(x) && Array.isArray(x.attributePatterns)) {
          stringArray(code, p(`[${i}].attributePatterns`), x.attributePatterns);
          return;
        }
        throw deserr.invalidType(code, p(`[${i}]`), 'a string or an object', x);
      });
      return;
    case 'rankingRules':
      stringArray(code, p(), value).forEach((r, i) => {
        if (!RANKING_RULES.has(r) && !CUSTOM_RULE.test(r)) {
          throw deserr.invalidValue(
            code,
            p(`[${i}]`),
            `\`${r}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
          );
        }
      });
      return;
    case 'synonyms':
      if (!isPlainObject(value)) throw deserr.invalidType(code, p(), 'an object', value);
      for (const [k, v] of Object.entries(value)) stringArray(code, p(`.${k}`), v);
      return;
    case 'distinctAttribute':
      if (typeof value !== 'string') throw deserr.invalidType(code, p(), 'a string', value);
      return;
    case 'proximityPrecision':
      oneOf(code, p(), value, ['byWord', 'byAttribute']);
      return;
    case 'typoTolerance': {
      if (!isPlainObject(value)) throw deserr.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['enabled', 'minWordSizeForTypos', 'disableOnWords', 'disableOnAttributes', 'disableOnNumbers'], p(), code);
      if (value.enabled != null && typeof value.enabled !== 'boolean') throw deserr.invalidType(code, p('.enabled'), 'a boolean', value.enabled);
      const m = value.minWordSizeForTypos;
      if (m != null) {
        if (!isPlainObject(m)) throw deserr.invalidType(code, p('.minWordSizeForTypos'), 'an object', m);
        checkKeys(m, ['oneTypo', 'twoTypos'], p('.minWordSizeForTypos'), code);
        if (m.oneTypo != null) nonNegInt(code, p('.minWordSizeForTypos.oneTypo'), m.oneTypo);
        if (m.twoTypos != null) nonNegInt(code, p('.minWordSizeForTypos.twoTypos'), m.twoTypos);
      }
      if (value.disableOnWords != null) stringArray(code, p('.disableOnWords'), value.disableOnWords);
      if (value.disableOnAttributes != null) stringArray(code, p('.disableOnAttributes'), value.disableOnAttributes);
      if (value.disableOnNumbers != null && typeof value.disableOnNumbers !== 'boolean') {
        throw deserr.invalidType(code, p('.disableOnNumbers'), 'a boolean', value.disableOnNumbers);
      }
      return;
    }
    case 'faceting': {
      if (!isPlainObject(value)) throw deserr.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['maxValuesPerFacet', 'sortFacetValuesBy'], p(), code);
      if (value.maxValuesPerFacet != null) nonNegInt(code, p('.maxValuesPerFacet'), value.maxValuesPerFacet);
      const s = value.sortFacetValuesBy;
      if (s != null) {
        if (!isPlainObject(s)) throw deserr.invalidType(code, p('.sortFacetValuesBy'), 'an object', s);
        for (const [k, v] of Object.entries(s)) oneOf(code, p(`.sortFacetValuesBy.${k}`), v, ['alpha', 'count']);
      }
      return;
    }
    case 'pagination':
      if (!isPlainObject(value)) throw deserr.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['maxTotalHits'], p(), code);
      if (value.maxTotalHits != null) nonNegInt(code, p('.maxTotalHits'), value.maxTotalHits);
      return;
    case 'searchCutoffMs':
      nonNegInt(code, p(), value);
      return;
    case 'facetSearch':
      if (typeof value !== 'boolean') throw deserr.invalidType(code, p(), 'a boolean', value);
      return;
    case 'prefixSearch':
      oneOf(code, p(), value, ['indexingTime', 'disabled']);
      return;
    case 'localizedAttributes':
      if (!Array.isArray(value)) throw deserr.invalidType(code, p(), 'an array', value);
      return;
    case 'embedders':
      if (!isPlainObject(value)) throw deserr.invalidType(code, p(), 'an object', value);
      return;
    default:
      throw deserr.unknownField('bad_request', name, SETTING_NAMES);
  }
}

/** A whole PATCH /settings body: an object of known settings, each valid or null. */
export function validateSettingsBody(body: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(body)) {
    if (!SETTING_NAMES.includes(name)) throw deserr.unknownField('bad_request', name, SETTING_NAMES);
    if (value !== null) validateSetting(name, value);
  }
  return body;
}
