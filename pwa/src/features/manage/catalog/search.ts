import type { ManagerProduct } from '@till/shared/core';

/** Products whose SKU, name, category or a barcode contains every word of `text`. */
export function searchProducts(products: ManagerProduct[], text: string): ManagerProduct[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return products;
  return products.filter((product) => {
    const haystack = [product.sku, product.name, product.category, ...product.barcodes].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
