/**
 * Till's one rounding rule: **round half away from zero, per line**.
 *
 * - Tax is computed on each line separately and rounded to the currency's minor unit before
 *   lines are summed. Receipts show per-line tax, so per-line rounding is what a customer can
 *   check by hand.
 * - Half away from zero (2.5 → 3, −2.5 → −3) makes a refund line the exact mirror of the sale
 *   line it reverses, which half-to-even or half-up would not.
 *
 * The arithmetic is done in BigInt so that `qty × price × rate` never loses precision.
 */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const remainder = n % d;
  const rounded = remainder * 2n >= d ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}
