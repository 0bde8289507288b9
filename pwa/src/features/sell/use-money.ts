import { formatMoney, type StoreInfo } from '@till/shared/core';
import { useMemo } from 'react';

/** Formats minor units in the store's currency and locale. */
export function useMoney(store: StoreInfo): (amount: number) => string {
  return useMemo(() => (amount: number) => formatMoney(amount, store.currency, store.locale), [store]);
}
