import { useReducer } from 'react';
import { cartReducer, EMPTY_CART } from './cart.ts';

/** The cart of the sale in progress. It lives in memory: a sale exists only once it is recorded. */
export function useCart() {
  return useReducer(cartReducer, EMPTY_CART);
}
