import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

/**
 * Till's service worker: the app shell is precached, so a cold start works offline; every
 * navigation gets the cached index.html except the server's own pages (/api, /docs).
 * API requests are not touched: the ledger lives in IndexedDB, not in an HTTP cache.
 *
 * It never calls skipWaiting on its own. A new version waits until the page (between sales)
 * sends {type: 'SKIP_WAITING'}, so no cashier's sale is interrupted by a reload.
 */
declare const self: ServiceWorkerGlobalScope;

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/docs/] }));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

// On first install there is no older version to respect: take the open page at once, so it
// works offline without a reload. Updates only activate after SKIP_WAITING, between sales.
self.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(self.clients.claim());
});
