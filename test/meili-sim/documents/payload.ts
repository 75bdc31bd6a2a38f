// Parses a document-addition body (JSON array or object, NDJSON, CSV) into objects, with
// Meilisearch's request-level errors: missing/invalid content type, missing or malformed payload.
import { parse as parseCsv } from 'csv-parse/sync';
import { ACCEPTED_DOCUMENT_TYPES, errors } from '../error-catalog';
import type { Doc } from '../search/types';

export type PayloadFormat = 'json' | 'ndjson' | 'csv';

export function payloadFormat(contentType: string | undefined): PayloadFormat {
  if (!contentType || contentType.trim() === '') throw errors.missingContentType(ACCEPTED_DOCUMENT_TYPES);
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/json') return 'json';
  if (mime === 'application/x-ndjson') return 'ndjson';
  if (mime === 'text/csv') return 'csv';
  throw errors.invalidContentType(contentType, ACCEPTED_DOCUMENT_TYPES);
}

function isObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseDocuments(body: Buffer, format: PayloadFormat, csvDelimiter = ','): Doc[] {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.missingPayload(format);
  switch (format) {
    case 'json':
      return parseJsonDocuments(text);
    case 'ndjson':
      return parseNdjson(text);
    case 'csv':
      return parseCsvDocuments(text, csvDelimiter);
  }
}

function parseJsonDocuments(text: string): Doc[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw errors.malformedPayload('json', `Couldn't serialize document value: ${(err as Error).message}`);
  }
  if (isObject(value)) return [value];
  if (!Array.isArray(value)) {
    throw errors.malformedPayload('json', 'Couldn\'t serialize document value: data are neither an object nor a list of objects');
  }
  value.forEach((d, i) => {
    if (!isObject(d)) {
      throw errors.malformedPayload('json', `Couldn't serialize document value: data at index ${i} is not an object`);
    }
  });
  return value as Doc[];
}

function parseNdjson(text: string): Doc[] {
  const out: Doc[] = [];
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
    if (!isObject(value)) {
      throw errors.malformedPayload('ndjson', `Couldn't serialize document value: data at line ${i + 1} is not an object`);
    }
    out.push(value);
  }
  if (out.length === 0) throw errors.missingPayload('ndjson');
  return out;
}

type CsvType = 'string' | 'number' | 'boolean';

/** CSV with Meilisearch's `name:type` headers (type string, number or boolean; default string). */
function parseCsvDocuments(text: string, delimiter: string): Doc[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    throw errors.malformedPayload('csv', `CSV error: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw errors.missingPayload('csv');
  const header = rows[0]!.map((h) => {
    const idx = h.lastIndexOf(':');
    if (idx > 0) {
      const t = h.slice(idx + 1);
      if (t === 'string' || t === 'number' || t === 'boolean') return { name: h.slice(0, idx), type: t as CsvType };
    }
    return { name: h, type: 'string' as CsvType };
  });
  const docs: Doc[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const doc: Doc = {};
    header.forEach((h, c) => {
      const raw = row[c] ?? '';
      if (raw === '') {
        doc[h.name] = null;
        return;
      }
      if (h.type === 'number') {
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
