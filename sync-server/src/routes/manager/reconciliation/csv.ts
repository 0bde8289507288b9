import { type CurrencyCode, isCurrencyCode, storeDayOf, toDecimalString } from '@till/shared';

/**
 * CSV as RFC 4180 says (CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes doubled),
 * safe to open in a spreadsheet (MGR-12): a text cell starting with `=`, `+`, `-`, `@`, a tab or
 * a CR is prefixed with `'` so it is never read as a formula. Plain numbers — which may start
 * with `-` — are left alone: a spreadsheet reads them as numbers, never as formulas.
 */

export type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A header row and one line per record. */
export function csvDocument<T>(columns: readonly CsvColumn<T>[], records: readonly T[]): string {
  return (
    csvLine(columns.map((column) => column.header)) +
    records.map((record) => csvLine(columns.map((column) => column.value(record)))).join('')
  );
}

export interface CsvColumn<T> {
  header: string;
  value: (record: T) => Cell;
}

/**
 * Money as two columns: minor units (exact, for programs) and a decimal string in major units
 * (for people), with the currency's own exponent; an unknown currency code gets `fallback`'s.
 */
export function moneyColumns<T>(
  name: string,
  amount: (record: T) => number,
  currency: (record: T) => string,
  fallback: CurrencyCode,
): CsvColumn<T>[] {
  return [
    { header: `${name}_minor`, value: amount },
    {
      header: name,
      value: (record) => {
        const code = currency(record);
        return toDecimalString(amount(record), isCurrencyCode(code) ? code : fallback);
      },
    },
  ];
}

/** An instant as three columns: the store-time date and time, and the ISO instant itself. */
export function timeColumns<T>(name: string, at: (record: T) => string, timeZone: string): CsvColumn<T>[] {
  return [
    { header: `${name}_date`, value: (record) => storeDayOf(new Date(at(record)), timeZone) },
    { header: `${name}_time`, value: (record) => storeTimeOf(new Date(at(record)), timeZone) },
    { header: `${name}_at`, value: (record) => new Date(at(record)).toISOString() },
  ];
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** HH:MM:SS on the store's wall clock. */
function storeTimeOf(instant: Date, timeZone: string): string {
  let formatter = timeFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    timeFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}
