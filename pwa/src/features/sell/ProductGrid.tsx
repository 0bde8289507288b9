import type { CatalogProduct } from '../../db/index.ts';

interface ProductGridProps {
  products: CatalogProduct[];
  format: (amount: number) => string;
  onAdd: (product: CatalogProduct) => void;
}

/** Big tiles, one tap adds one. */
export function ProductGrid({ products, format, onAdd }: ProductGridProps) {
  if (products.length === 0) return <p className="empty-note">No products here.</p>;
  return (
    <div className="product-grid">
      {products.map((product) => (
        <button
          type="button"
          key={product.id}
          className="product-tile"
          data-testid={`product-${product.sku}`}
          onClick={() => onAdd(product)}
        >
          <span className="product-name">{product.name}</span>
          <span className="product-price">{format(product.price)}</span>
        </button>
      ))}
    </div>
  );
}
