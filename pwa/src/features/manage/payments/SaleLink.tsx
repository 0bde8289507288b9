import type { PageProps } from '../page-props.ts';

/**
 * The receipt number as a link to the sale's detail on the Sales page (a real href, so it also
 * opens in a new tab). A payment whose sale has not arrived shows its id, shortened.
 */
export function SaleLink({
  saleId,
  label,
  paymentId,
  navigate,
}: {
  saleId: string | null;
  label: string | null;
  paymentId: string;
  navigate: PageProps['navigate'];
}) {
  if (saleId === null || label === null) {
    return (
      <span className="m-mono mo-nowrap" title={`Payment ${paymentId}; its sale has not been received yet`}>
        {label ?? `${paymentId.slice(0, 13)}…`}
      </span>
    );
  }
  return (
    <a
      className="m-link m-mono mo-nowrap"
      href={`/manage/sales?sale=${encodeURIComponent(saleId)}`}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate('sales', { sale: saleId });
      }}
    >
      {label}
    </a>
  );
}
