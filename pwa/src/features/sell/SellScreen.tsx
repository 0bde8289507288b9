import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { type CatalogProduct, type DeviceRecord, findByBarcode, type LedgerSale } from '../../db/index.ts';
import { useGatewayView } from '../card-payments/use-gateway-view.ts';
import { ShiftBar } from '../shift/ShiftBar.tsx';
import { CardPaymentDialog } from './CardPaymentDialog.tsx';
import { CartPanel } from './CartPanel.tsx';
import { ALL_CATEGORIES, CategoryTabs } from './CategoryTabs.tsx';
import { cartTotals } from './cart.ts';
import { ProductGrid } from './ProductGrid.tsx';
import { ReceiptView } from './ReceiptView.tsx';
import { TenderPanel } from './TenderPanel.tsx';
import { isCartLocked, remainingAmount } from './tender-session.ts';
import { useBarcodeScanner } from './use-barcode-scanner.ts';
import { useCart } from './use-cart.ts';
import { useCompleteSale } from './use-complete-sale.ts';
import { useMoney } from './use-money.ts';
import { useProducts } from './use-products.ts';
import { useTenderSession } from './use-tender-session.ts';
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

/** Catalog on the left, the sale on the right (stacked in portrait); cash and card payment; receipt. */
export function SellScreen({ device, onBusyChange, onSaleFinished }: SellScreenProps) {
  const { db, cardReader } = useTill();
  const store = device.store;
  const format = useMoney(store);
  const products = useProducts();
  const [cart, dispatch] = useCart();
  const [step, setStep] = useState<Step>({ kind: 'cart' });
  const [category, setCategory] = useState(ALL_CATEGORIES);
  const [search, setSearch] = useState('');
  const [scanMessage, setScanMessage] = useState<string | null>(null);
  const [shiftDialogOpen, setShiftDialogOpen] = useState(false);
  const { complete, pending, error } = useCompleteSale(device);
  const payment = useTenderSession(device, format);
  const gateway = useGatewayView();
  const totals = useMemo(() => cartTotals(cart, store.taxMode), [cart, store.taxMode]);
  // Once a payment is on the sale its lines are fixed: the payments were taken for this total.
  const cartLocked = isCartLocked(payment.session);

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
      if (product && cartLocked) {
        setScanMessage('A payment is on this sale: complete it first');
      } else if (product) {
        dispatch({ type: 'add', product });
        setScanMessage(null);
      } else {
        setScanMessage(`Unknown barcode ${barcode}`);
      }
    },
    [db, dispatch, cartLocked],
  );
  useBarcodeScanner(onScan, step.kind === 'cart' && !shiftDialogOpen);

  useEffect(() => {
    if (!scanMessage) return;
    const timer = window.setTimeout(() => setScanMessage(null), 5_000);
    return () => window.clearTimeout(timer);
  }, [scanMessage]);

  const addProduct = (product: CatalogProduct) => {
    if (cartLocked) setScanMessage('A payment is on this sale: complete it first');
    else dispatch({ type: 'add', product });
  };

  const startPayment = (withCard: boolean) => {
    payment.saleId();
    setStep({ kind: 'tender' });
    if (withCard) payment.openCard();
  };

  const completeSale = async (cashTendered: number | null) => {
    const session = payment.session ?? { saleId: payment.saleId(), tenders: [] };
    const sale = await complete(cart, session, cashTendered);
    if (!sale) return;
    dispatch({ type: 'clear' });
    payment.reset();
    setStep({ kind: 'receipt', sale });
  };

  const backToSale = () => {
    if (cartLocked) return;
    payment.reset();
    setStep({ kind: 'cart' });
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
          <ShiftBar store={store} format={format} canClose={!busy} onDialogChange={setShiftDialogOpen} />
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
            <ProductGrid products={shown} format={format} onAdd={addProduct} />
          )}
        </div>
      </section>
      {step.kind === 'tender' ? (
        <TenderPanel
          totals={totals}
          store={store}
          format={format}
          session={payment.session}
          cardResult={payment.cardResult}
          busy={pending || payment.capturing}
          error={error ?? payment.error}
          canGoBack={!cartLocked}
          onBack={backToSale}
          onCard={payment.openCard}
          onRemoveTender={(tenderId) => void payment.remove(tenderId)}
          onCashPart={payment.addCashPart}
          onComplete={(cashTendered) => void completeSale(cashTendered)}
        />
      ) : (
        <CartPanel
          cart={cart}
          totals={totals}
          store={store}
          format={format}
          dispatch={dispatch}
          onPayCash={() => startPayment(false)}
          onPayCard={() => startPayment(true)}
        />
      )}
      {step.kind === 'tender' && payment.cardDialog && (
        <CardPaymentDialog
          key={payment.cardDialog.paymentId}
          remaining={payment.session ? remainingAmount(payment.session, totals.total) : totals.total}
          store={store}
          format={format}
          reader={cardReader}
          storing={gateway.mode === 'storing'}
          onRead={(amount, card) => {
            const paymentId = payment.cardDialog?.paymentId;
            if (paymentId) void payment.takeCard(paymentId, amount, card);
          }}
          onCancel={payment.cancelCard}
        />
      )}
      {step.kind === 'receipt' && <ReceiptView sale={step.sale} store={store} format={format} onNewSale={newSale} />}
    </div>
  );
}
