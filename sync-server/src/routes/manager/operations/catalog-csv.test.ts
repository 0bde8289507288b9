import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from './catalog-csv.ts';
import { parseCsvRecords } from './csv-records.ts';

const HEADER = 'sku,name,category,price,tax_rate,barcodes,active';

describe('CSV records (RFC 4180)', () => {
  it('[MGR-10] quoted fields hold commas, doubled quotes and line breaks; CRLF, LF and a BOM are fine', () => {
    const records = parseCsvRecords('\uFEFFa,"b, c","say ""hi"""\r\n"two\nlines",,x\n');
    expect(records).toEqual([
      { fields: ['a', 'b, c', 'say "hi"'], problem: undefined },
      { fields: ['two\nlines', '', 'x'], problem: undefined },
    ]);
  });

  it('[MGR-10] a stray quote, text after a closing quote and an unclosed quote are problems of their record', () => {
    expect(parseCsvRecords('a"b,c')[0]?.problem).toMatch(/quote inside an unquoted field/);
    expect(parseCsvRecords('"a"b,c')[0]?.problem).toMatch(/after a closing quote/);
    expect(parseCsvRecords('x\n"open,c')[1]?.problem).toMatch(/not closed/);
  });
});

describe('catalog CSV', () => {
  it('[MGR-10] prices in major units become exact minor units, rates exact basis points, barcodes split on |', () => {
    const csv = [
      HEADER,
      'COF-1,Latte,Coffee,4.50,8.25,2000000000011|2000000000028,yes',
      'COF-2,"Mocha, large",Coffee,0.29,7.5%,,false',
      'BAK-1,Loaf,,12,0,,',
    ].join('\r\n');
    expect(parseCatalogCsv(`${csv}\r\n`, 'USD')).toEqual({
      kind: 'ok',
      rows: [
        {
          sku: 'COF-1',
          name: 'Latte',
          category: 'Coffee',
          price: 450,
          taxRateBp: 825,
          barcodes: ['2000000000011', '2000000000028'],
          active: true,
        },
        {
          sku: 'COF-2',
          name: 'Mocha, large',
          category: 'Coffee',
          price: 29,
          taxRateBp: 750,
          barcodes: [],
          active: false,
        },
        { sku: 'BAK-1', name: 'Loaf', category: '', price: 1200, taxRateBp: 0, barcodes: [], active: undefined },
      ],
    });
  });

  it('[MGR-10] the currency decides the decimals: JPY has none, KWD three', () => {
    const jpy = parseCatalogCsv('sku,name,price,tax_rate\nA,Tea,1200,10', 'JPY');
    expect(jpy).toMatchObject({ kind: 'ok', rows: [{ price: 1200, taxRateBp: 1000 }] });
    const kwd = parseCatalogCsv('sku,name,price,tax_rate\nA,Tea,1.125,0', 'KWD');
    expect(kwd).toMatchObject({ kind: 'ok', rows: [{ price: 1125 }] });
    expect(parseCatalogCsv('sku,name,price,tax_rate\nA,Tea,12.5,10', 'JPY')).toMatchObject({ kind: 'invalid' });
  });

  it('[MGR-10] every bad row is listed by its 1-based data row, each with all its problems', () => {
    const csv = [
      HEADER,
      'OK-1,Fine,Cat,1.00,5,,',
      ',No sku,Cat,1.00,5,,',
      'P-1,Price,Cat,3.505,5,,',
      'T-1,Tax,Cat,1.00,8.255,,maybe',
      'OK-1,Again,Cat,1.00,5,,',
      'F-1,Too few',
      'B-1,Barcode,Cat,-1,5,ab cd,',
    ].join('\n');
    const result = parseCatalogCsv(csv, 'USD');
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.problems.map((problem) => problem.path)).toEqual([
      '/rows/2',
      '/rows/3',
      '/rows/4',
      '/rows/5',
      '/rows/6',
      '/rows/7',
    ]);
    const message = (row: number) => result.problems.find((problem) => problem.path === `/rows/${row}`)?.message;
    expect(message(2)).toMatch(/sku is empty/);
    expect(message(3)).toMatch(/more than 2 decimals/);
    expect(message(4)).toMatch(/tax_rate "8.255"/);
    expect(message(4)).toMatch(/active "maybe"/);
    expect(message(5)).toMatch(/already on row 1/);
    expect(message(6)).toMatch(/has 2 fields; the header has 7/);
    expect(message(7)).toMatch(/price "-1"/);
    expect(message(7)).toMatch(/barcode "ab cd"/);
  });

  it('[MGR-10] a header with an unknown or missing column is refused as a whole', () => {
    expect(parseCatalogCsv('sku,name,price,vat\nA,B,1,2', 'USD')).toEqual({
      kind: 'invalid',
      problems: [{ path: '/csv', message: expect.stringMatching(/Unknown column "vat"/) }],
    });
    expect(parseCatalogCsv('sku,name,price\nA,B,1', 'USD')).toMatchObject({
      problems: [{ path: '/csv', message: expect.stringMatching(/lacks tax_rate/) }],
    });
    expect(parseCatalogCsv(HEADER, 'USD')).toMatchObject({ problems: [{ path: '/csv' }] });
  });
});
