import { parse as parseCsv } from 'csv-parse/sync';
import { errors } from '../errors/catalog';
import { DEPTH_MESSAGE, exceedsJsonDepth } from '../http/json-depth';
import { MeiliError } from '../errors/meili-error';

// Document bodies as Meilisearch accepts them (JSON array or object, NDJSON, CSV), parsed at the
// edge with Meilisearch's request errors so a bad body never reaches a node.

export type Document = Record<string, unknown>;
export type PayloadFormat = 'json' | 'ndjson' | 'csv';

export function payloadFormat(contentType: string | undefined): PayloadFormat {
  if (contentType === undefined || contentType.trim() === '') throw errors.missingContentType();
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/json') return 'json';
  if (mime === 'application/x-ndjson') return 'ndjson';
  if (mime === 'text/csv') return 'csv';
  throw errors.invalidContentType(contentType);
}

/** `?csvDelimiter=`: one ASCII character, and only with a CSV body. */
export function csvDelimiter(raw: string | undefined, format: PayloadFormat, contentType: string): string {
  if (raw === undefined) return ',';
  if (format !== 'csv') {
    throw new MeiliError(
      'invalid_document_csv_delimiter',
      `The Content-Type \`${contentType}\` does not support the use of a csv delimiter. The csv delimiter can only be used with the Content-Type \`text/csv\`.`,
      415,
    );
  }
  if (raw.length !== 1 || raw.charCodeAt(0) > 127) {
    throw new MeiliError(
      'invalid_document_csv_delimiter',
      `Invalid value in parameter \`csvDelimiter\`: \`${raw}\` is not a valid separator. It must be a single ASCII character.`,
    );
  }
  return raw;
}

function isObject(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseDocuments(body: Buffer, format: PayloadFormat, delimiter: string): Document[] {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.missingPayload(format);
  switch (format) {
    case 'json':
      return parseJsonDocuments(text);
    case 'ndjson':
      return parseNdjson(text);
    case 'csv':
      return parseCsvDocuments(text, delimiter);
  }
}

function parseJsonDocuments(text: string): Document[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw errors.malformedPayload('json', `Couldn't serialize document value: ${(err as Error).message}`);
  }
  if (exceedsJsonDepth(value)) throw errors.malformedPayload('json', `Couldn't serialize document value: ${DEPTH_MESSAGE}`);
  if (isObject(value)) return [value];
  if (!Array.isArray(value)) {
    throw errors.malformedPayload('json', "Couldn't serialize document value: data are neither an object nor a list of objects");
  }
  for (let i = 0; i < value.length; i++) {
    if (!isObject(value[i])) {
      throw errors.malformedPayload('json', `Couldn't serialize document value: data at index ${i} is not an object`);
    }
  }
  return value as Document[];
}

function parseNdjson(text: string): Document[] {
  const out: Document[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw errors.malformedPayload('ndjson', `Couldn't serialize document value: ${(err as Error).message} at line ${i + 1}`);
    }
    if (exceedsJsonDepth(value)) throw errors.malformedPayload('ndjson', `Couldn't serialize document value: ${DEPTH_MESSAGE} at line ${i + 1}`);
    if (!isObject(value)) {
      throw errors.malformedPayload('ndjson', `Couldn't serialize document value: data at line ${i + 1} is not an object`);
    }
    out.push(value);
  }
  if (out.length === 0) throw errors.missingPayload('ndjson');
  return out;
}

type CsvType = 'string' | 'number' | 'boolean';

/** Meilisearch's CSV: `name:type` headers (string by default), an empty cell is null. */
function parseCsvDocuments(text: string, delimiter: string): Document[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    throw errors.malformedPayload('csv', `CSV error: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw errors.missingPayload('csv');
  const header = rows[0]!.map((h) => {
    const at = h.lastIndexOf(':');
    if (at > 0) {
      const t = h.slice(at + 1);
      if (t === 'string' || t === 'number' || t === 'boolean') return { name: h.slice(0, at), type: t as CsvType };
    }
    return { name: h, type: 'string' as CsvType };
  });
  const docs: Document[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const doc: Document = {};
    header.forEach((h, c) => {
      const raw = row[c] ?? '';
      if (raw === '') doc[h.name] = null;
      else if (h.type === 'number') {
        const n = Number(raw.trim());
        if (!Number.isFinite(n)) {
          throw errors.malformedPayload('csv', `CSV error: Error parsing number "${raw}" at line ${r + 1}: invalid float literal`);
        }
        doc[h.name] = n;
      } else if (h.type === 'boolean') {
        const b = raw.trim();
        if (b !== 'true' && b !== 'false') {
          throw errors.malformedPayload('csv', `CSV error: Error parsing boolean "${raw}" at line ${r + 1}: provided string was not \`true\` or \`false\``);
        }
        doc[h.name] = b === 'true';
      } else doc[h.name] = raw;
    });
    docs.push(doc);
  }
  return docs;
}
