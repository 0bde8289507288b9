import { type ApiTarget, getCatalog } from '../../api/endpoints.ts';
import { describeFailure } from '../../api/http.ts';
import { applyCatalog, getDevice, getMeta, type TillDb } from '../../db/index.ts';

export type CatalogRefreshOutcome =
  | { kind: 'updated'; version: number; full: boolean; changed: number }
  | { kind: 'not_enrolled' }
  | { kind: 'failed'; status: number | null; message: string };

/**
 * Brings the local catalog up to date: asks for changes since the stored version and applies
 * them in one transaction. Safe to call from any tab at any time; failure changes nothing.
 */
export async function refreshCatalog(db: TillDb, target: ApiTarget): Promise<CatalogRefreshOutcome> {
  const device = await getDevice(db);
  if (!device) return { kind: 'not_enrolled' };
  const since = (await getMeta(db, 'catalogVersion')) ?? 0;
  const answer = await getCatalog(target, device.token, since);
  if (answer.kind !== 'ok') {
    return { kind: 'failed', status: answer.kind === 'error' ? answer.status : null, message: describeFailure(answer) };
  }
  await applyCatalog(db, answer.body);
  return {
    kind: 'updated',
    version: answer.body.version,
    full: answer.body.full,
    changed: answer.body.products.length,
  };
}
