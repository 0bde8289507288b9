/**
 * Tax rates travel as basis points (825 = 8.25 %). People type percentages; converting through
 * the decimal string (never `× 100` on a float) keeps 8.25 exactly 825.
 */

/** "8.25 %" for 825, "20 %" for 2000. */
export function formatRate(rateBp: number): string {
  const whole = Math.floor(rateBp / 100);
  const fraction = String(rateBp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} %`;
}

/** The percentage as typed for an input: "8.25" for 825. */
export function rateInputValue(rateBp: number): string {
  return formatRate(rateBp).replace(' %', '');
}

/** Basis points from a typed percentage ("8.25", "20", "7.5 %"); null when it is not one. */
export function parseRate(text: string): number | null {
  const match = /^\s*(\d{1,3})(?:\.(\d{0,2}))?\s*%?\s*$/.exec(text);
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  const rateBp = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return rateBp <= 10_000 ? rateBp : null;
}
