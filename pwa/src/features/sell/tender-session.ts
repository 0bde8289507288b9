import { changeDue, type Tender } from '@till/shared/core';

/** A payment already decided for the open sale, and whether it may still be taken off it. */
export interface SessionTender {
  tender: Tender;
  /** False once money may have moved (a live capture, a card whose outcome is unknown). */
  removable: boolean;
}

/**
 * The payments of the sale being paid: its id (made when payment starts, so card payments can
 * name it) and the tenders decided so far, in the order taken. Pure data; `use-tender-session`
 * holds it in React.
 */
export interface TenderSession {
  saleId: string;
  tenders: SessionTender[];
}

export function newTenderSession(saleId: string): TenderSession {
  return { saleId, tenders: [] };
}

export function paidAmount(session: TenderSession): number {
  return session.tenders.reduce((sum, part) => sum + part.tender.amount, 0);
}

/** What is still to pay (never below 0: a tender never exceeds what was remaining). */
export function remainingAmount(session: TenderSession, total: number): number {
  return Math.max(0, total - paidAmount(session));
}

export function addTender(session: TenderSession, tender: Tender, removable: boolean): TenderSession {
  return { ...session, tenders: [...session.tenders, { tender, removable }] };
}

export function removeTender(session: TenderSession, tenderId: string): TenderSession {
  const part = session.tenders.find((candidate) => candidate.tender.id === tenderId);
  if (!part?.removable) return session;
  return { ...session, tenders: session.tenders.filter((candidate) => candidate !== part) };
}

/** The cart may be edited again only when no payment is on the sale. */
export function isCartLocked(session: TenderSession | null): boolean {
  return (session?.tenders.length ?? 0) > 0;
}

/** A cash part for less than what remains: the customer pays the rest another way. */
export function cashPart(tenderId: string, tendered: number): Tender {
  return { id: tenderId, kind: 'cash', amount: tendered, tendered, change: 0 };
}

/**
 * The sale's tenders at completion: those decided, plus, if anything remains, the cash handed
 * over for it (with the change). Throws when the cash does not cover what remains.
 */
export function completingTenders(
  session: TenderSession,
  total: number,
  cash: { tenderId: string; tendered: number } | null,
): Tender[] {
  const remaining = remainingAmount(session, total);
  const tenders = session.tenders.map((part) => part.tender);
  if (remaining === 0) return tenders;
  if (!cash || cash.tendered < remaining) throw new RangeError('The payments do not cover the total');
  return [
    ...tenders,
    {
      id: cash.tenderId,
      kind: 'cash',
      amount: remaining,
      tendered: cash.tendered,
      change: changeDue(cash.tendered, remaining),
    },
  ];
}
