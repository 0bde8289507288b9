import { useState } from 'react';
import { ManageApiError } from '../api/client.ts';
import { errorMessage } from '../ui/errors.ts';
import { useImportCatalog } from './use-import-catalog.ts';

export const CSV_HEADER = 'sku,name,category,price,tax_rate,barcodes,active';
const CSV_EXAMPLE = `${CSV_HEADER}\nCOF-1,Coffee,Drinks,3.50,8.25,4006381333931|12345,true`;

/** "/rows/3" (the server counts data rows from 1, header not counted) → "Row 3 (line 4)". */
function rowOf(path: string): string {
  const match = /^\/rows\/(\d+)/.exec(path);
  return match ? `Row ${match[1]} (line ${Number(match[1]) + 1})` : path || 'File';
}

/**
 * CSV import (MGR-10): all rows are checked by the server first; one bad row and nothing is
 * saved, and every bad row is listed so the file can be fixed in one go.
 */
export function ImportPanel({ storeId, onClose }: { storeId: string; onClose: () => void }) {
  const importCatalog = useImportCatalog(storeId);
  const [csv, setCsv] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const error = importCatalog.error;
  const badRows = error instanceof ManageApiError && error.status === 400 ? (error.details ?? []) : [];

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      setCsv(await file.text());
      importCatalog.reset();
    } catch {
      setFileError(`Could not read ${file.name}.`);
    }
  };

  return (
    <section className="m-card mo-import" aria-labelledby="catalog-import-title">
      <div className="mo-card-head">
        <h2 id="catalog-import-title">Import a CSV catalog</h2>
        <button type="button" className="m-btn" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        First line <code className="m-mono">{CSV_HEADER}</code>. Price in major units (3.50), tax rate as a percentage
        (8.25), barcodes separated by <code>|</code>, active <code>true</code>/<code>false</code> (optional). A row
        whose SKU exists updates that product; other rows add products. Nothing is saved if any row is wrong.
      </p>
      <form
        className="m-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (csv.trim() !== '') importCatalog.mutate(csv);
        }}
      >
        <div className="m-field">
          <label htmlFor="catalog-import-file">CSV file</label>
          <input
            id="catalog-import-file"
            data-testid="catalog-import-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(event) => void readFile(event.target.files?.[0])}
          />
          {fileError && <p className="m-field__error">{fileError}</p>}
        </div>
        <div className="m-field">
          <label htmlFor="catalog-import-text">…or paste it here</label>
          <textarea
            id="catalog-import-text"
            data-testid="catalog-import-text"
            className="m-mono"
            rows={8}
            placeholder={CSV_EXAMPLE}
            spellCheck={false}
            value={csv}
            onChange={(event) => {
              setCsv(event.target.value);
              if (!importCatalog.isPending) importCatalog.reset();
            }}
          />
        </div>
        <div className="m-toolbar">
          <button
            type="submit"
            className="m-btn m-btn--primary"
            data-testid="catalog-import-submit"
            disabled={csv.trim() === '' || importCatalog.isPending}
          >
            {importCatalog.isPending ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {importCatalog.isSuccess && (
        <div className="mo-import-result mo-import-result--ok" data-testid="catalog-import-result" role="status">
          <strong>Imported.</strong> {importCatalog.data.created} added, {importCatalog.data.updated} updated,{' '}
          {importCatalog.data.unchanged} unchanged. Catalog version {importCatalog.data.catalogVersion}. Tills get these
          changes on their next sync.
        </div>
      )}
      {importCatalog.isError && (
        <div className="mo-import-result mo-import-result--bad" data-testid="catalog-import-result" role="alert">
          <strong>Nothing was imported.</strong> {errorMessage(error)}
          {badRows.length > 0 && (
            <ul className="mo-bad-rows" data-testid="catalog-import-errors">
              {badRows.map((row) => (
                <li key={`${row.path}:${row.message}`}>
                  <span className="m-mono">{rowOf(row.path)}</span>: {row.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
