import { assertMinorUnits } from './money.ts';
import { divideRoundHalfAwayFromZero } from './rounding.ts';

/**
 * How shelf prices relate to tax in a store. `inclusive`: the price on the shelf already holds
 * the tax (EU, UK, AU); `exclusive`: tax is added on top at the till (US, CA).
 */
export type TaxMode = 'inclusive' | 'exclusive';

/** Tax rates are integer basis points: 2000 = 20 %, 825 = 8.25 %. */
export const BASIS_POINTS = 10_000;

/** What sale math needs of a line: quantities and prices as sold, in minor units. */
export interface LineInput {
  /** Units sold; negative for a refund line. Never zero. */
  qty: number;
  /** Price of one unit as sold (shelf price in the store's tax mode), minor units, ≥ 0. */
  unitPrice: number;
  /** Amount taken off the whole line, minor units, ≥ 0 and ≤ |qty × unitPrice|. */
  discount: number;
  /** Tax rate in basis points, 0 … 10 000. */
  taxRateBp: number;
}

/** A line's figures after Till's rounding rule. All in minor units, signed like `qty`. */
export interface LineTotals {
  /** qty × unitPrice. */
  gross: number;
  /** The discount, signed like gross. */
  discount: number;
  /** gross − discount: what the line costs at shelf prices. */
  net: number;
  /** The tax in this line (contained in `net` when inclusive, added to it when exclusive). */
  tax: number;
  /** What the customer pays for the line: net (inclusive) or net + tax (exclusive). */
  total: number;
}

/** A sale's totals; `total` is what tenders must add up to. */
export interface SaleTotals {
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

/** Why a line cannot be priced; a program can act on `code`, a person reads `message`. */
export class SaleMathError extends RangeError {
  constructor(
    readonly code: 'invalid_qty' | 'invalid_price' | 'invalid_discount' | 'invalid_tax_rate',
    message: string,
  ) {
    super(message);
    this.name = 'SaleMathError';
  }
}

function checkLine(line: LineInput): void {
  if (!Number.isSafeInteger(line.qty) || line.qty === 0) {
    throw new SaleMathError('invalid_qty', `qty must be a non-zero integer, got ${line.qty}`);
  }
  if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
    throw new SaleMathError('invalid_price', `unitPrice must be ≥ 0 minor units, got ${line.unitPrice}`);
  }
  if (!Number.isInteger(line.taxRateBp) || line.taxRateBp < 0 || line.taxRateBp > BASIS_POINTS) {
    throw new SaleMathError('invalid_tax_rate', `taxRateBp must be 0…10000, got ${line.taxRateBp}`);
  }
  const grossMagnitude = Math.abs(line.qty * line.unitPrice);
  if (!Number.isSafeInteger(line.discount) || line.discount < 0 || line.discount > grossMagnitude) {
    throw new SaleMathError(
      'invalid_discount',
      `discount must be between 0 and ${grossMagnitude} minor units, got ${line.discount}`,
    );
  }
}

/**
 * Prices one line by Till's rule (see `rounding.ts`): the discount reduces the line's magnitude,
 * then tax is computed on the discounted amount and rounded half away from zero.
 *
 * - exclusive: tax = round(net × rate)
 * - inclusive: tax = net − round(net ÷ (1 + rate)), so that net-of-tax + tax = net exactly.
 */
export function priceLine(line: LineInput, taxMode: TaxMode): LineTotals {
  checkLine(line);
  const gross = line.qty * line.unitPrice;
  assertMinorUnits(gross, 'line gross');
  const discount = gross < 0 ? -line.discount : line.discount;
  const net = gross - discount;
  const rate = BigInt(line.taxRateBp);
  const bp = BigInt(BASIS_POINTS);
  let tax: number;
  if (taxMode === 'exclusive') {
    tax = Number(divideRoundHalfAwayFromZero(BigInt(net) * rate, bp));
  } else {
    const netOfTax = divideRoundHalfAwayFromZero(BigInt(net) * bp, bp + rate);
    tax = net - Number(netOfTax);
  }
  const total = taxMode === 'exclusive' ? net + tax : net;
  return { gross, discount: discount === 0 ? 0 : discount, net, tax: tax === 0 ? 0 : tax, total };
}

/**
 * Totals of a sale: the sum of its lines priced one by one. Both the till (to show and store
 * the sale) and the server (to check it) call this, so they cannot disagree on rounding.
 */
export function computeSaleTotals(lines: readonly LineInput[], taxMode: TaxMode): SaleTotals {
  const totals: SaleTotals = { subtotal: 0, discount: 0, tax: 0, total: 0 };
  for (const line of lines) {
    const priced = priceLine(line, taxMode);
    totals.subtotal += priced.gross;
    totals.discount += priced.discount;
    totals.tax += priced.tax;
    totals.total += priced.total;
  }
  for (const [name, value] of Object.entries(totals)) assertMinorUnits(value, `sale ${name}`);
  return totals;
}

/** Change due for a cash tender: what was handed over minus what it pays. */
export function changeDue(tendered: number, applied: number): number {
  assertMinorUnits(tendered, 'tendered');
  assertMinorUnits(applied, 'applied');
  return tendered - applied;
}
