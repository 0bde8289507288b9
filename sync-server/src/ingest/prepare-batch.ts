import {
  canonicalJson,
  chainHash,
  checkSaleArithmetic,
  type PushRequest,
  type StoreInfo,
  sha256Hex,
} from '@till/shared';
import type { PreparedBatch, PreparedSale } from '../store/ledger-store.ts';

/**
 * Everything about a push that needs no database: hashes and arithmetic. Done before the
 * transaction so the write lock is held only for reads and writes.
 *
 * `hashValid` is the first half of `verifyLink` (the sale's own hash); the second half — does
 * `prevHash` match the stored predecessor — needs the ledger and is checked in the transaction.
 */
export async function prepareBatch(request: PushRequest, store: StoreInfo, receivedAt: Date): Promise<PreparedBatch> {
  const sales = await Promise.all(request.sales.map((sale) => prepareSale(sale, store)));
  return {
    request,
    requestHash: await batchContentHash(request),
    sales,
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * What makes two pushes "the same batch": protocol version, batchId and the sales. Not
 * `deviceStatus`: it is telemetry a till may refresh when it retries (its unsent count grows
 * when a sale is made meanwhile), and an honest retry must get the stored answer, not a 409.
 */
export function batchContentHash(request: PushRequest): Promise<string> {
  const { protocolVersion, batchId, sales } = request;
  return sha256Hex(canonicalJson({ protocolVersion, batchId, sales }));
}

async function prepareSale(sale: PushRequest['sales'][number], store: StoreInfo): Promise<PreparedSale> {
  const payload = canonicalJson(sale);
  return {
    sale,
    payload,
    payloadHash: await sha256Hex(payload),
    hashValid: (await chainHash(sale)) === sale.hash,
    arithmeticFlags: checkSaleArithmetic(sale, store),
  };
}
