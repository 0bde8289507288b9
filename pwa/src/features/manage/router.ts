import { useSyncExternalStore } from 'react';
import { MANAGE_PAGES, type ManagePage } from './page-props.ts';

/**
 * The console's own router: `/manage/<page>?params`, history.pushState and popstate, no library.
 * `/manage` alone (or an unknown page) is Today.
 */

export const MANAGE_BASE = '/manage';

export interface Route {
  page: ManagePage;
  params: URLSearchParams;
}

function isManagePage(name: string): name is ManagePage {
  return (MANAGE_PAGES as readonly string[]).includes(name);
}

/** The page and parameters a console URL names. */
export function parseRoute(pathname: string, search: string): Route {
  const name = pathname.slice(MANAGE_BASE.length).replace(/^\/+|\/+$/g, '');
  return { page: isManagePage(name) ? name : 'today', params: new URLSearchParams(search) };
}

/** `/manage/<page>?params`, leaving out empty values. */
export function manageHref(page: ManagePage, params: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== '') search.set(key, value);
  const query = search.toString();
  return `${MANAGE_BASE}/${page}${query ? `?${query}` : ''}`;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** Goes to a console page; `replace` rewrites the current history entry (e.g. while typing a filter). */
export function navigateTo(page: ManagePage, params: Record<string, string> = {}, options: { replace?: boolean } = {}) {
  const href = manageHref(page, params);
  if (href === `${location.pathname}${location.search}`) return;
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

const currentUrl = () => `${location.pathname}${location.search}`;

/** The URL the console is showing, live (pushState from `navigateTo`, back/forward from popstate). */
export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, currentUrl);
}
