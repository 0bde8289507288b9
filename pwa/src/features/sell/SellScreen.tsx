import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { type CatalogProduct, type DeviceRecord, findByBarcode, type LedgerSale } from '../../db/index.ts';
import { CartPanel } from './CartPanel.tsx';
import { ALL_CATEGORIES, CategoryTabs } from './CategoryTabs.tsx';
import { cartTotals } from './cart.ts';
import { ProductGrid } from './ProductGrid.tsx';
import { ReceiptView } from './ReceiptView.tsx';
import { TenderPanel } from './TenderPanel.tsx';
import { useBarcodeScanner } from './use-barcode-scanner.ts';
import { useCart } from './use-cart.ts';
import { useCompleteSale } from './use-complete-sale.ts';
import { useMoney } from './use-money.ts';
import { useProducts } from './use-products.ts';
import './sell.css';

interface SellScreenProps {
  device: DeviceRecord;
  /** True while a sale is in progress (cart, payment or receipt on screen): no reload then. */
  onBusyChange: (busy: boolean) => void;
  /** The cashier started a new sale after a completed one; the cart is empty. */
  onSaleFinished: () => void;
}

type Step = { kind: 'cart' } | { kind: 'tender' } | { kind: 'receipt'; sale: LedgerSale };

function matches(product: CatalogProduct, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return (
    product.name.toLowerCase().includes(needle) ||
    product.sku.toLowerCase().includes(needle) ||
    product.barcodes.some((barcode) => barcode.includes(needle))
  );
}

/** Catalog on the left, the sale on the right (stacked in portrait); cash payment; receipt. */
export function SellScreen({ device, onBusyChange, onSaleFinished }: SellScreenProps) {
  const { db } = useTill();
  const store = device.store;
  const format = useMoney(store);
  const products = useProducts();
  const [cart, dispatch] = useCart();
  const [step, setStep] = useState<Step>({ kind: 'cart' });
  const [category, setCategory] = useState(ALL_CATEGORIES);
  const [search, setSearch] = useState('');
  const [scanMessage, setScanMessage] = useState<string | null>(null);
  const { complete, pending, error } = useCompleteSale(device);
  const totals = useMemo(() => cartTotals(cart, store.taxMode), [cart, store.taxMode]);

  const busy = cart.lines.length > 0 || step.kind !== 'cart';
  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);

  const categories = useMemo(
    () => [...new Set((products ?? []).map((product) => product.category).filter(Boolean))].sort(),
    [products],
  );
  const shown = useMemo(
    () =>
      (products ?? []).filter(
        (product) => (category === ALL_CATEGORIES || product.category === category) && matches(product, search),
      ),
    [products, category, search],
  );

  const onScan = useCallback(
    async (barcode: string) => {
      setSearch('');
      const product = await findByBarcode(db, barcode);
      if (product) {
        dispatch({ type: 'add', product });
        setScanMessage(null);
      } else {
        setScanMessage(`Unknown barcode ${barcode}`);
      }
    },
    [db, dispatch],
  );
  useBarcodeScanner(onScan, step.kind === 'cart');

  useEffect(() => {
    if (!scanMessage) return;
    const timer = window.setTimeout(() => setScanMessage(null), 5_000);
    return () => window.clearTimeout(timer);
  }, [scanMessage]);

  const completeSale = async (tendered: number) => {
    const sale = await complete(cart, tendered);
    if (!sale) return;
    dispatch({ type: 'clear' });
    setStep({ kind: 'receipt', sale });
  };

  const newSale = () => {
    setStep({ kind: 'cart' });
    setSearch('');
    onSaleFinished();
  };

  return (
    <div className="sell">
      <section className="catalog" aria-label="Products">
        <div className="catalog-toolbar">
          <input
            type="search"
            className="search-input"
            placeholder="Search products or type a barcode"
            aria-label="Search products"
            data-testid="search-products"
            data-scan-target=""
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <CategoryTabs categories={categories} selected={category} onSelect={setCategory} />
        {scanMessage && (
          <p className="scan-message" role="alert" data-testid="scan-message">
            {scanMessage}
          </p>
        )}
        <div className="catalog-scroll">
          {products === undefined ? (
            <p className="empty-note">Loading products…</p>
          ) : products.length === 0 ? (
            <p className="empty-note">No products yet. They load when the till reaches the server.</p>
          ) : (
            <ProductGrid products={shown} format={format} onAdd={(product) => dispatch({ type: 'add', product })} />
          )}
        </div>
      </section>
      {step.kind === 'tender' ? (
        <TenderPanel
          totals={totals}
          store={store}
          format={format}
          pending={pending}
          error={error}
          onBack={() => setStep({ kind: 'cart' })}
          onComplete={(tendered) => void completeSale(tendered)}
        />
      ) : (
        <CartPanel
          cart={cart}
          totals={totals}
          store={store}
          format={format}
          dispatch={dispatch}
          onPayCash={() => setStep({ kind: 'tender' })}
        />
      )}
      {step.kind === 'receipt' && <ReceiptView sale={step.sale} store={store} format={format} onNewSale={newSale} />}
    </div>
  );
}
