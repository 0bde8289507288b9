import type { ManagerRole } from '@till/shared/core';
import { type MouseEvent, useEffect, useRef } from 'react';
import { MANAGE_PAGES, type ManagePage } from '../page-props.ts';
import { manageHref } from '../router.ts';
import { PAGES } from './pages.tsx';

/** Real links (a manager may open a page in a new tab); a plain click stays in the app. */
export function Nav({
  current,
  role,
  onNavigate,
}: {
  current: ManagePage;
  /** A manager is not shown the owners' pages (the page itself says so if opened anyway). */
  role: ManagerRole;
  onNavigate: (page: ManagePage) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  // On a tablet the nav is a row of tabs wider than the screen: keep the current one in view.
  useEffect(() => {
    list.current
      ?.querySelector(`[data-testid="nav-${current}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current]);
  const follow = (page: ManagePage) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onNavigate(page);
  };
  return (
    <nav className="m-nav" aria-label="Console pages">
      <ul ref={list}>
        {MANAGE_PAGES.filter((page) => role === 'owner' || !PAGES[page].ownerOnly).map((page) => (
          <li key={page}>
            <a
              href={manageHref(page)}
              data-testid={`nav-${page}`}
              aria-current={page === current ? 'page' : undefined}
              onClick={follow(page)}
            >
              {PAGES[page].label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
