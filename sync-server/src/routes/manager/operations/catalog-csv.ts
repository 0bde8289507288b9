import { type CurrencyCode, currencyExponent, MAX_MINOR_UNITS } from '@till/shared';
import type { ImportedProduct } from '../../../store/console/operations-store.ts';
import { parseCsvRecords } from './csv-records.ts';

/**
 * A catalog CSV (MGR-10): header `sku,name,category,price,tax_rate,barcodes,active` (any order,
 * any case; category, barcodes and active may be left out), one product per row. Money and
 * rates are parsed from their decimal text digit by digit — never through a float — so "0.29"
 * is exactly 29 cents and "8.25" exactly 825 basis points.
 *
 * Every row is checked before anything is saved; the answer lists every bad row, each as
 * `/rows/<n>` with n the 1-based data row (the header is not counted), so a manager fixes the
 * whole file in one go.
 */
export type CatalogCsvResult =
  | { kind: 'ok'; rows: ImportedProduct[] }
  | { kind: 'invalid'; problems: { path: string; message: string }[] };

const COLUMNS = ['sku', 'name', 'category', 'price', 'tax_rate', 'barcodes', 'active'] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: readonly Column[] = ['sku', 'name', 'price', 'tax_rate'];

/** More rows than a shop's catalog plausibly has; keeps one import one short transaction. */
export const MAX_IMPORT_ROWS = 10_000;
const MAX_BARCODES = 20;
const BARCODE = /^[0-9A-Za-z-]{1,64}$/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

export function parseCatalogCsv(text: string, currency: CurrencyCode): CatalogCsvResult {
  const records = parseCsvRecords(text);
  const header = records[0];
  if (header === undefined) return invalid('/csv', 'The file is empty; the first line must be the header');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const headerProblem = checkHeader(columns, header.problem);
  if (headerProblem !== undefined) return invalid('/csv', headerProblem);
  const data = records.slice(1);
  if (data.length > MAX_IMPORT_ROWS) {
    return invalid('/csv', `The file has ${data.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
  }

  const rows: ImportedProduct[] = [];
  const problems: { path: string; message: string }[] = [];
  const rowOfSku = new Map<string, number>();
  data.forEach((record, index) => {
    const rowNo = index + 1;
    if (record.problem === undefined && record.fields.every((field) => field.trim() === '')) return; // a blank line
    const messages: string[] = [];
    if (record.problem !== undefined) messages.push(record.problem);
    if (record.fields.length !== columns.length) {
      messages.push(`has ${record.fields.length} fields; the header has ${columns.length}`);
    }
    const cell = (column: Column): string => {
      const at = columns.indexOf(column);
      return at < 0 ? '' : (record.fields[at] ?? '').trim();
    };
    const product = parseRow(cell, currency, messages);
    if (product !== undefined) {
      const earlier = rowOfSku.get(product.sku);
      if (earlier !== undefined) messages.push(`SKU "${product.sku}" is already on row ${earlier}`);
      else rowOfSku.set(product.sku, rowNo);
    }
    if (messages.length > 0 || product === undefined)
      problems.push({ path: `/rows/${rowNo}`, message: messages.join('; ') });
    else rows.push(product);
  });
  if (problems.length > 0) return { kind: 'invalid', problems };
  if (rows.length === 0) return invalid('/csv', 'The file has a header but no products');
  return { kind: 'ok', rows };
}

function invalid(path: string, message: string): CatalogCsvResult {
  return { kind: 'invalid', problems: [{ path, message }] };
}

function checkHeader(columns: string[], syntax: string | undefined): string | undefined {
  if (syntax !== undefined) return `The header line is not valid CSV: ${syntax}`;
  const unknown = columns.filter((name) => !(COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}; the columns are ${COLUMNS.join(',')}`;
  }
  const twice = columns.filter((name, index) => columns.indexOf(name) !== index);
  if (twice.length > 0) return `Column "${twice[0]}" appears twice in the header`;
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (missing.length > 0) return `The header lacks ${missing.join(', ')}; the columns are ${COLUMNS.join(',')}`;
  return undefined;
}

/** One row's product, or undefined with `messages` saying what is wrong. */
function parseRow(
  cell: (column: Column) => string,
  currency: CurrencyCode,
  messages: string[],
): ImportedProduct | undefined {
  const before = messages.length;
  const sku = cell('sku');
  if (sku === '') messages.push('sku is empty');
  else if (sku.length > 64) messages.push('sku is longer than 64 characters');
  const name = cell('name');
  if (name === '') messages.push('name is empty');
  else if (name.length > 120) messages.push('name is longer than 120 characters');
  const category = cell('category');
  if (category.length > 60) messages.push('category is longer than 60 characters');
  const price = parsePrice(cell('price'), currency, messages);
  const taxRateBp = parseTaxRate(cell('tax_rate'), messages);
  const barcodes = parseBarcodes(cell('barcodes'), messages);
  const active = parseActive(cell('active'), messages);
  if (messages.length > before || price === undefined || taxRateBp === undefined) return undefined;
  return { sku, name, category, barcodes, price, taxRateBp, active };
}

/** "3.50" → 350 (USD); "1200" → 1200 (JPY); at most the currency's decimals, never rounded. */
function parsePrice(text: string, currency: CurrencyCode, messages: string[]): number | undefined {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) {
    messages.push(text === '' ? 'price is empty' : `price "${text}" is not an amount like 3.50`);
    return undefined;
  }
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > exponent) {
    messages.push(`price "${text}" has more than ${exponent} decimal${exponent === 1 ? '' : 's'} (${currency})`);
    return undefined;
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_MINOR_UNITS).length || Number(digits) > MAX_MINOR_UNITS) {
    messages.push(`price "${text}" is too large`);
    return undefined;
  }
  return Number(digits);
}

/** A percentage with at most two decimals ("8.25", "8.25%", "0") → basis points (825). */
function parseTaxRate(text: string, messages: string[]): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d+))?\s*%?$/.exec(text);
  if (match === null) {
    messages.push(text === '' ? 'tax_rate is empty' : `tax_rate "${text}" is not a percentage like 8.25`);
    return undefined;
  }
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > 2) {
    messages.push(`tax_rate "${text}" has more than 2 decimals`);
    return undefined;
  }
  const bp = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (bp > 10_000) {
    messages.push(`tax_rate "${text}" is over 100 %`);
    return undefined;
  }
  return bp;
}

/** `|`-separated; blanks dropped, repeats kept once. */
function parseBarcodes(text: string, messages: string[]): string[] {
  const barcodes = [
    ...new Set(
      text
        .split('|')
        .map((code) => code.trim())
        .filter((code) => code !== ''),
    ),
  ];
  const bad = barcodes.filter((code) => !BARCODE.test(code));
  if (bad.length > 0) messages.push(`barcode "${bad[0]}" may only have letters, digits and hyphens (up to 64)`);
  if (barcodes.length > MAX_BARCODES) messages.push(`has ${barcodes.length} barcodes; at most ${MAX_BARCODES}`);
  return barcodes;
}

/** Empty: keep (a new product is active); else true/false, yes/no, y/n, 1/0 in any case. */
function parseActive(text: string, messages: string[]): boolean | undefined {
  if (text === '') return undefined;
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  messages.push(`active "${text}" is not true/false, yes/no or 1/0`);
  return undefined;
}
