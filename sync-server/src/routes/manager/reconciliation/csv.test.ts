import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, moneyColumns, timeColumns } from './csv.ts';

describe('CSV cells', () => {
  it('[MGR-12] quotes what RFC 4180 needs quoted and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
  });

  it('[MGR-12] a text cell that a spreadsheet would run as a formula gets a leading quote', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+44 20 7946 0000')).toBe("'+44 20 7946 0000");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('[MGR-12] negative amounts stay numbers', () => {
    expect(csvCell(-59)).toBe('-59');
    expect(csvCell('-0.59')).toBe('-0.59');
  });
});

describe('CSV columns', () => {
  it('[MGR-12] money in minor units and as a decimal with the currency exponent; times in store time and ISO', () => {
    const records = [
      { amount: -1234, currency: 'USD', at: '2026-03-01T23:30:00.000Z' },
      { amount: 1234, currency: 'JPY', at: '2026-07-01T03:00:00+02:00' },
      { amount: 1234, currency: 'KWD', at: '2026-03-02T00:00:00.000Z' },
    ];
    const text = csvDocument(
      [
        ...moneyColumns<(typeof records)[number]>(
          'amount',
          (r) => r.amount,
          (r) => r.currency,
          'USD',
        ),
        ...timeColumns<(typeof records)[number]>('sold', (r) => r.at, 'America/New_York'),
      ],
      records,
    );
    expect(text).toBe(
      'amount_minor,amount,sold_date,sold_time,sold_at\r\n' +
        '-1234,-12.34,2026-03-01,18:30:00,2026-03-01T23:30:00.000Z\r\n' +
        '1234,1234,2026-06-30,21:00:00,2026-07-01T01:00:00.000Z\r\n' +
        '1234,1.234,2026-03-01,19:00:00,2026-03-02T00:00:00.000Z\r\n',
    );
  });
});
