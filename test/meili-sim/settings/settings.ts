// Index settings: defaults, request validation (deserr-style errors with invalid_settings_* codes),
// patch application and the GET shape. A patch field set to null resets that setting.
import { DEFAULT_SETTINGS } from '../engine';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import type { ExtraSettings, SettingsPatch } from '../model';
import type { IndexSettings } from '../search/types';

export const DEFAULT_EXTRA: ExtraSettings = {
  facetSearch: true,
  prefixSearch: 'indexingTime',
  localizedAttributes: null,
  embedders: {},
};

export function defaultSettings(): IndexSettings {
  return structuredClone(DEFAULT_SETTINGS);
}
export function defaultExtra(): ExtraSettings {
  return structuredClone(DEFAULT_EXTRA);
}

/** Every setting name in Meilisearch's GET /settings order, with its sub-route and HTTP update verb. */
export const SETTING_ROUTES: ReadonlyArray<{ name: string; route: string; verb: 'PUT' | 'PATCH' }> = [
  { name: 'displayedAttributes', route: 'displayed-attributes', verb: 'PUT' },
  { name: 'searchableAttributes', route: 'searchable-attributes', verb: 'PUT' },
  { name: 'filterableAttributes', route: 'filterable-attributes', verb: 'PUT' },
  { name: 'sortableAttributes', route: 'sortable-attributes', verb: 'PUT' },
  { name: 'rankingRules', route: 'ranking-rules', verb: 'PUT' },
  { name: 'stopWords', route: 'stop-words', verb: 'PUT' },
  { name: 'nonSeparatorTokens', route: 'non-separator-tokens', verb: 'PUT' },
  { name: 'separatorTokens', route: 'separator-tokens', verb: 'PUT' },
  { name: 'dictionary', route: 'dictionary', verb: 'PUT' },
  { name: 'synonyms', route: 'synonyms', verb: 'PUT' },
  { name: 'distinctAttribute', route: 'distinct-attribute', verb: 'PUT' },
  { name: 'proximityPrecision', route: 'proximity-precision', verb: 'PUT' },
  { name: 'typoTolerance', route: 'typo-tolerance', verb: 'PATCH' },
  { name: 'faceting', route: 'faceting', verb: 'PATCH' },
  { name: 'pagination', route: 'pagination', verb: 'PATCH' },
  { name: 'embedders', route: 'embedders', verb: 'PATCH' },
  { name: 'searchCutoffMs', route: 'search-cutoff-ms', verb: 'PUT' },
  { name: 'localizedAttributes', route: 'localized-attributes', verb: 'PUT' },
  { name: 'facetSearch', route: 'facet-search', verb: 'PUT' },
  { name: 'prefixSearch', route: 'prefix-search', verb: 'PUT' },
];
const SETTING_NAMES = SETTING_ROUTES.map((s) => s.name);
// What Meilisearch 1.50's unknown-field message lists: it also knows `foreignKeys` and `chat`,
// which the dev node does not implement (they are still refused here).
const LISTED_SETTING_NAMES = [...SETTING_NAMES.slice(0, 4), 'foreignKeys', ...SETTING_NAMES.slice(4), 'chat'];

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const settingCode = (name: string): string => `invalid_settings_${snake(name)}`;

const RANKING_RULES = new Set(['words', 'typo', 'proximity', 'attribute', 'attributeRank', 'wordPosition', 'sort', 'exactness']);
const CUSTOM_RULE = /^(.+):(asc|desc)$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(code: string, path: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw errors.invalidType(code, path, 'an array', v);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw errors.invalidType(code, `${path}[${i}]`, 'a string', x);
  });
  return v as string[];
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, code: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw new SimError(code, `Unknown field \`${k}\` inside \`${path}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
}

function nonNegInt(code: string, path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidType(code, path, 'a positive integer', v);
  return v;
}

function minWordSizeMessage(oneTypo: number, twoTypos: number): string {
  return `\`minWordSizeForTypos\` setting is invalid. \`oneTypo\` and \`twoTypos\` fields should be between \`0\` and \`255\`, and \`twoTypos\` should be greater or equals to \`oneTypo\` but found \`oneTypo: ${oneTypo}\` and twoTypos: ${twoTypos}\`.`;
}

/** Validates one setting's value (already known not to be null) and returns its normalized form. */
export function validateSetting(name: string, value: unknown, pathPrefix = ''): unknown {
  const code = settingCode(name);
  const path = `${pathPrefix}.${name}`;
  // Sub-routes report errors at the root ("Invalid value type: …"), /settings at `.field`.
  const p = (suffix = ''): string => (pathPrefix === '#' ? suffix : `${path}${suffix}`);
  switch (name) {
    case 'displayedAttributes':
    case 'searchableAttributes':
    case 'sortableAttributes':
    case 'stopWords':
    case 'nonSeparatorTokens':
    case 'separatorTokens':
    case 'dictionary':
      return stringArray(code, p(), value);
    case 'filterableAttributes': {
      if (!Array.isArray(value)) throw errors.invalidType(code, p(), 'an array', value);
      const out: string[] = [];
      value.forEach((x, i) => {
        if (typeof x === 'string') out.push(x);
        else if (isPlainObject(x) && Array.isArray(x.attributePatterns)) {
          // Granular filterable attributes (v1.14): the engine only needs the patterns.
          out.push(...stringArray(code, p(`[${i}].attributePatterns`), x.attributePatterns));
        } else throw errors.invalidType(code, p(`[${i}]`), 'a string or an object', x);
      });
      return out;
    }
    case 'rankingRules': {
      const rules = stringArray(code, p(), value);
      rules.forEach((r, i) => {
        if (!RANKING_RULES.has(r) && !CUSTOM_RULE.test(r)) {
          throw errors.invalidValue(
            code,
            p(`[${i}]`),
            `\`${r}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
          );
        }
      });
      return rules;
    }
    case 'synonyms': {
      if (!isPlainObject(value)) throw errors.invalidType(code, p(), 'an object', value);
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(value)) out[k] = stringArray(code, p(`.${k}`), v);
      return out;
    }
    case 'distinctAttribute':
      if (typeof value !== 'string') throw errors.invalidType(code, p(), 'a string', value);
      return value;
    case 'proximityPrecision':
      if (value !== 'byWord' && value !== 'byAttribute') {
        throw errors.invalidValue(code, p(), `Unknown value \`${String(value)}\`: expected one of \`byWord\`, \`byAttribute\``);
      }
      return value;
    case 'typoTolerance': {
      if (!isPlainObject(value)) throw errors.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['enabled', 'minWordSizeForTypos', 'disableOnWords', 'disableOnAttributes', 'disableOnNumbers'], p(), code);
      const out: Record<string, unknown> = {};
      if (value.enabled != null) {
        if (typeof value.enabled !== 'boolean') throw errors.invalidType(code, p('.enabled'), 'a boolean', value.enabled);
        out.enabled = value.enabled;
      }
      if (value.minWordSizeForTypos != null) {
        const m = value.minWordSizeForTypos;
        if (!isPlainObject(m)) throw errors.invalidType(code, p('.minWordSizeForTypos'), 'an object', m);
        checkKeys(m, ['oneTypo', 'twoTypos'], p('.minWordSizeForTypos'), code);
        const mo: Record<string, number> = {};
        if (m.oneTypo != null) mo.oneTypo = nonNegInt(code, p('.minWordSizeForTypos.oneTypo'), m.oneTypo);
        if (m.twoTypos != null) mo.twoTypos = nonNegInt(code, p('.minWordSizeForTypos.twoTypos'), m.twoTypos);
        // Both bounds in the request: Meilisearch checks them at once (400); otherwise the task does.
        if (mo.oneTypo !== undefined && mo.twoTypos !== undefined && (mo.oneTypo > 255 || mo.twoTypos > 255 || mo.oneTypo > mo.twoTypos)) {
          throw errors.invalidValue(code, p('.minWordSizeForTypos'), minWordSizeMessage(mo.oneTypo, mo.twoTypos));
        }
        out.minWordSizeForTypos = mo;
      }
      if (value.disableOnWords != null) out.disableOnWords = stringArray(code, p('.disableOnWords'), value.disableOnWords);
      if (value.disableOnAttributes != null) {
        out.disableOnAttributes = stringArray(code, p('.disableOnAttributes'), value.disableOnAttributes);
      }
      if (value.disableOnNumbers != null) {
        if (typeof value.disableOnNumbers !== 'boolean') throw errors.invalidType(code, p('.disableOnNumbers'), 'a boolean', value.disableOnNumbers);
        out.disableOnNumbers = value.disableOnNumbers;
      }
      return out;
    }
    case 'faceting': {
      if (!isPlainObject(value)) throw errors.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['maxValuesPerFacet', 'sortFacetValuesBy'], p(), code);
      const out: Record<string, unknown> = {};
      if (value.maxValuesPerFacet != null) out.maxValuesPerFacet = nonNegInt(code, p('.maxValuesPerFacet'), value.maxValuesPerFacet);
      if (value.sortFacetValuesBy != null) {
        const s = value.sortFacetValuesBy;
        if (!isPlainObject(s)) throw errors.invalidType(code, p('.sortFacetValuesBy'), 'an object', s);
        for (const [k, v] of Object.entries(s)) {
          if (v !== 'alpha' && v !== 'count') {
            throw errors.invalidValue(code, p(`.sortFacetValuesBy.${k}`), `Unknown value \`${String(v)}\`: expected one of \`alpha\`, \`count\``);
          }
        }
        out.sortFacetValuesBy = s;
      }
      return out;
    }
    case 'pagination': {
      if (!isPlainObject(value)) throw errors.invalidType(code, p(), 'an object', value);
      checkKeys(value, ['maxTotalHits'], p(), code);
      const out: Record<string, unknown> = {};
      if (value.maxTotalHits != null) out.maxTotalHits = nonNegInt(code, p('.maxTotalHits'), value.maxTotalHits);
      return out;
    }
    case 'searchCutoffMs':
      return nonNegInt(code, p(), value);
    case 'facetSearch':
      if (typeof value !== 'boolean') throw errors.invalidType(code, p(), 'a boolean', value);
      return value;
    case 'prefixSearch':
      if (value !== 'indexingTime' && value !== 'disabled') {
        throw errors.invalidValue(code, p(), `Unknown value \`${String(value)}\`: expected one of \`indexingTime\`, \`disabled\``);
      }
      return value;
    case 'localizedAttributes':
      if (!Array.isArray(value)) throw errors.invalidType(code, p(), 'an array', value);
      return value;
    case 'embedders':
      if (!isPlainObject(value)) throw errors.invalidType(code, p(), 'an object', value);
      if (Object.keys(value).length > 0) {
        throw new SimError('invalid_settings_embedders', 'The dev node does not support embedders.');
      }
      return value;
    default:
      throw errors.unknownField(name, SETTING_NAMES);
  }
}

/** Validates a whole PATCH /settings body. */
export function validateSettingsBody(body: unknown): SettingsPatch {
  if (!isPlainObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
  const out: SettingsPatch = {};
  for (const [name, value] of Object.entries(body)) {
    if (!SETTING_NAMES.includes(name)) throw errors.unknownField(name, LISTED_SETTING_NAMES);
    out[name] = value === null ? null : validateSetting(name, value);
  }
  return out;
}

const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/**
 * Applies a validated patch to the current settings (as the processing loop does); throws a SimError
 * for errors Meilisearch reports on the task rather than the request.
 */
export function applyPatch(current: IndexSettings, extra: ExtraSettings, patch: SettingsPatch): { settings: IndexSettings; extra: ExtraSettings } {
  const s = structuredClone(current);
  const e = structuredClone(extra);
  const d = defaultSettings();
  const de = defaultExtra();
  for (const [name, value] of Object.entries(patch)) {
    const reset = value === null;
    switch (name) {
      case 'displayedAttributes':
      case 'searchableAttributes':
      case 'rankingRules':
        s[name] = reset ? d[name] : [...(value as string[])];
        break;
      case 'filterableAttributes':
        // Kept in the order given (Meilisearch 1.50 no longer sorts them; patterns are ordered rules).
        s.filterableAttributes = reset ? d.filterableAttributes : [...new Set(value as string[])];
        break;
      case 'sortableAttributes':
      case 'stopWords':
      case 'nonSeparatorTokens':
      case 'separatorTokens':
      case 'dictionary':
        s[name] = reset ? d[name] : sorted(value as string[]);
        break;
      case 'synonyms': {
        const syn = reset ? d.synonyms : (value as Record<string, string[]>);
        s.synonyms = Object.fromEntries(Object.keys(syn).sort().map((k) => [k, [...syn[k]!]]));
        break;
      }
      case 'distinctAttribute':
        s.distinctAttribute = reset ? null : (value as string);
        break;
      case 'proximityPrecision':
        s.proximityPrecision = reset ? d.proximityPrecision : (value as IndexSettings['proximityPrecision']);
        break;
      case 'searchCutoffMs':
        s.searchCutoffMs = reset ? null : (value as number);
        break;
      case 'typoTolerance': {
        if (reset) {
          s.typoTolerance = d.typoTolerance;
          break;
        }
        const v = value as Partial<IndexSettings['typoTolerance']> & { minWordSizeForTypos?: Partial<IndexSettings['typoTolerance']['minWordSizeForTypos']> };
        const t = s.typoTolerance;
        if (v.enabled !== undefined) t.enabled = v.enabled;
        if (v.minWordSizeForTypos) t.minWordSizeForTypos = { ...t.minWordSizeForTypos, ...v.minWordSizeForTypos };
        if (v.disableOnWords) t.disableOnWords = sorted(v.disableOnWords);
        if (v.disableOnAttributes) t.disableOnAttributes = sorted(v.disableOnAttributes);
        if (v.disableOnNumbers !== undefined) t.disableOnNumbers = v.disableOnNumbers;
        const { oneTypo, twoTypos } = t.minWordSizeForTypos;
        if (oneTypo > 255 || twoTypos > 255 || oneTypo > twoTypos) {
          throw new SimError('invalid_settings_typo_tolerance', minWordSizeMessage(oneTypo, twoTypos));
        }
        break;
      }
      case 'faceting': {
        if (reset) {
          s.faceting = d.faceting;
          break;
        }
        const v = value as Partial<IndexSettings['faceting']>;
        if (v.maxValuesPerFacet !== undefined) s.faceting.maxValuesPerFacet = v.maxValuesPerFacet;
        if (v.sortFacetValuesBy) s.faceting.sortFacetValuesBy = { ...v.sortFacetValuesBy };
        break;
      }
      case 'pagination': {
        if (reset) {
          s.pagination = d.pagination;
          break;
        }
        const v = value as Partial<IndexSettings['pagination']>;
        if (v.maxTotalHits !== undefined) s.pagination.maxTotalHits = v.maxTotalHits;
        break;
      }
      case 'facetSearch':
        e.facetSearch = reset ? de.facetSearch : (value as boolean);
        break;
      case 'prefixSearch':
        e.prefixSearch = reset ? de.prefixSearch : (value as ExtraSettings['prefixSearch']);
        break;
      case 'localizedAttributes':
        e.localizedAttributes = reset ? null : (value as unknown[]);
        break;
      case 'embedders':
        e.embedders = {};
        break;
      default:
        break;
    }
  }
  return { settings: s, extra: e };
}

/** The GET /settings body, in Meilisearch's field order. */
export function settingsView(s: IndexSettings, e: ExtraSettings): Record<string, unknown> {
  return {
    displayedAttributes: s.displayedAttributes,
    searchableAttributes: s.searchableAttributes,
    filterableAttributes: s.filterableAttributes,
    sortableAttributes: s.sortableAttributes,
    rankingRules: s.rankingRules,
    stopWords: s.stopWords,
    nonSeparatorTokens: s.nonSeparatorTokens,
    separatorTokens: s.separatorTokens,
    dictionary: s.dictionary,
    synonyms: s.synonyms,
    distinctAttribute: s.distinctAttribute,
    proximityPrecision: s.proximityPrecision,
    typoTolerance: { ...s.typoTolerance, disableOnNumbers: s.typoTolerance.disableOnNumbers ?? false },
    faceting: s.faceting,
    pagination: s.pagination,
    embedders: e.embedders,
    searchCutoffMs: s.searchCutoffMs,
    localizedAttributes: e.localizedAttributes,
    facetSearch: e.facetSearch,
    prefixSearch: e.prefixSearch,
  };
}
