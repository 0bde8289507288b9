/**
 * RFC 4180 records: fields separated by commas, records by CRLF, LF or CR; a field in double
 * quotes may hold commas, line breaks and doubled quotes (`""` is one `"`). A byte-order mark
 * at the start is dropped (spreadsheets write one). A final line break ends the last record
 * rather than starting an empty one.
 */
export interface CsvRecord {
  fields: string[];
  /** What is wrong with the record's syntax, if anything (the fields are then best effort). */
  problem: string | undefined;
}

export function parseCsvRecords(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let problem: string | undefined;
  let quoted = false;
  let closedQuote = false;
  let index = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    closedQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ fields, problem });
    fields = [];
    problem = undefined;
  };

  while (index < input.length) {
    const char = input[index] as string;
    index += 1;
    if (quoted) {
      if (char !== '"') field += char;
      else if (input[index] === '"') {
        field += '"';
        index += 1;
      } else {
        quoted = false;
        closedQuote = true;
      }
      continue;
    }
    if (char === ',') endField();
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[index] === '\n') index += 1;
      endRecord();
    } else if (char === '"' && field === '' && !closedQuote) quoted = true;
    else {
      if (closedQuote) problem ??= 'text after a closing quote: quote the whole field';
      else if (char === '"') {
        problem ??= 'a quote inside an unquoted field: quote the whole field and double the quote ("")';
      }
      field += char;
    }
  }
  if (quoted) problem ??= 'a quoted field is not closed';
  // Anything after the last line break is a last record; a file ending in a line break has none.
  if (fields.length > 0 || field !== '' || quoted || closedQuote) endRecord();
  return records;
}
