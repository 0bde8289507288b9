import { EventEmitter } from 'node:events';
import { Request } from 'tedious';

/**
 * tedious returns `bigint` columns (and bigint sums) as strings, to be safe beyond 2^53. The
 * ledger's bigint columns hold money in minor units and counters, and the shared query code
 * adds and compares them as numbers — as better-sqlite3 returns them. This Request (handed to
 * Kysely's MSSQL dialect in place of tedious' own) turns them into numbers as rows arrive, and
 * refuses a value that a number cannot hold exactly instead of rounding money.
 */
export class NumericBigIntRequest extends Request {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'row' && Array.isArray(args[0])) {
      for (const column of args[0] as TediousColumn[]) column.value = bigintAsNumber(column);
    }
    // EventEmitter's own emit: tedious only declares it per event name.
    return EventEmitter.prototype.emit.call(this, event, ...args);
  }
}

interface TediousColumn {
  value: unknown;
  metadata: { colName: string; type: { name: string } };
}

/** A BigInt (or nullable IntN of 8 bytes) column value as a number; anything else unchanged. */
export function bigintAsNumber(column: TediousColumn): unknown {
  const { value } = column;
  if (typeof value !== 'string') return value;
  const type = column.metadata.type.name;
  if (type !== 'BigInt' && type !== 'IntN') return value;
  const number = Number(value);
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(`Column ${column.metadata.colName}: ${value} does not fit a JavaScript number exactly`);
  }
  return number;
}
