import { ago, dateTime, type StoreFormat } from './format.ts';

/** A moment as "5 min ago" with the exact store time beside it, or below it when `stacked` (tables). */
export function When({
  iso,
  now,
  store,
  never = 'never',
  stacked = false,
}: {
  iso: string | null;
  now: number;
  store: StoreFormat;
  never?: string;
  stacked?: boolean;
}) {
  if (iso === null) return <span className="m-muted">{never}</span>;
  const exact = dateTime(iso, store);
  return (
    <time dateTime={iso} title={exact} className={stacked ? 'm-when m-when--stacked' : 'm-when'}>
      <span className="m-nowrap">{ago(iso, now)}</span>{' '}
      <span className="m-muted m-nowrap">{stacked ? exact : `· ${exact}`}</span>
    </time>
  );
}
