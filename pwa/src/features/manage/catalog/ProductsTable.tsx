import type { ManagerProduct } from '@till/shared/core';
import { money, type StoreFormat } from '../ui/format.ts';
import { formatRate } from './tax-rate.ts';

interface ProductsTableProps {
  products: ManagerProduct[];
  store: StoreFormat;
  /** The product whose active flag is being changed, if any. */
  toggling: string | null;
  onEdit: (product: ManagerProduct) => void;
  onToggleActive: (product: ManagerProduct) => void;
}

export function ProductsTable({ products, store, toggling, onEdit, onToggleActive }: ProductsTableProps) {
  return (
    <div className="m-table-wrap">
      <table className="m-table mo-products">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Name · barcodes</th>
            <th>Category</th>
            <th className="m-num">Price</th>
            <th className="m-num">Tax</th>
            <th>Sold</th>
            <th>
              <span className="m-visually-hidden">Edit</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <tr
              key={product.id}
              data-testid={`product-row-${product.sku}`}
              className={product.active ? undefined : 'mo-inactive'}
            >
              <td className="m-mono mo-nowrap">{product.sku}</td>
              <td>
                <div>{product.name}</div>
                {product.barcodes.length > 0 && (
                  <div className="mo-small m-mono m-muted mo-break">{product.barcodes.join(', ')}</div>
                )}
              </td>
              <td>{product.category || '—'}</td>
              <td className="m-num">{money(product.price, store)}</td>
              <td className="m-num">{formatRate(product.taxRateBp)}</td>
              <td>
                {/* A switch, not a delete: switching a product off hides it on the tills, on again brings it back. */}
                <button
                  type="button"
                  role="switch"
                  aria-checked={product.active}
                  aria-label={`${product.name} sold on the tills`}
                  className={`mo-switch${product.active ? ' mo-switch--on' : ''}`}
                  data-testid={`product-toggle-${product.sku}`}
                  disabled={toggling === product.id}
                  onClick={() => onToggleActive(product)}
                >
                  <span className="mo-switch__track" aria-hidden="true" />
                  <span>{product.active ? 'Active' : 'Inactive'}</span>
                </button>
              </td>
              <td>
                <button
                  type="button"
                  className="m-btn"
                  data-testid={`product-edit-${product.sku}`}
                  onClick={() => onEdit(product)}
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
