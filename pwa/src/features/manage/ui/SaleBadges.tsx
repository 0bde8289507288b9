import type { FlagCode } from '@till/shared/core';
import { Badge } from './Badge.tsx';

const FLAG_WORDS: Record<FlagCode, string> = {
  seq_gap: 'sequence gap',
  seq_reuse: 'sequence reused',
  hash_break: 'hash chain break',
  hash_invalid: 'hash invalid',
  totals_mismatch: 'totals mismatch',
  tender_mismatch: 'tenders mismatch',
  currency_mismatch: 'currency mismatch',
  payload_conflict: 'conflicting copy',
  payment_unverified: 'payment unverified',
};

/** How the server took a sale (new, duplicate, flagged) and every flag it raised, in words. */
export function SaleBadges({ status, flags }: { status: 'new' | 'duplicate' | 'flagged'; flags: readonly FlagCode[] }) {
  return (
    <span className="m-badges">
      <Badge tone={status === 'flagged' ? 'bad' : status === 'duplicate' ? 'neutral' : 'ok'}>{status}</Badge>
      {flags.map((flag) => (
        <Badge key={flag} tone="warn" title={flag}>
          {FLAG_WORDS[flag] ?? flag}
        </Badge>
      ))}
    </span>
  );
}
