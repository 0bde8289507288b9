/** "Load more" under a paged list; says when the end is reached. */
export function LoadMore({
  hasMore,
  loading,
  onLoad,
  shown,
  testId,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  shown: number;
  testId?: string;
}) {
  return (
    <div className="m-loadmore">
      <span className="m-muted">{shown} shown</span>
      {hasMore ? (
        <button type="button" className="m-btn" onClick={onLoad} disabled={loading} data-testid={testId}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : (
        shown > 0 && <span className="m-muted">· that is all</span>
      )}
    </div>
  );
}
