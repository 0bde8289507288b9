import { Workbox } from 'workbox-window';

/**
 * - `none`: nothing to do;
 * - `waiting`: a new version is installed and waits for us to let it take over;
 * - `applying`: we told it to take over and reload when it controls the page;
 * - `activated`: another tab let it take over; this tab reloads at its next idle moment.
 */
export type UpdateState = 'none' | 'waiting' | 'applying' | 'activated';

const UPDATE_CHECK_MS = 30 * 60_000;

/**
 * The service worker's update life, seen from the page. The worker never skips waiting on its
 * own; `apply` asks it to, and is only called when no sale is in progress, so a reload never
 * lands mid-sale.
 */
export class SwUpdater {
  private workbox: Workbox | null = null;
  private state: UpdateState = 'none';
  private readonly listeners = new Set<() => void>();

  register(url: string): void {
    if (!('serviceWorker' in navigator)) return;
    const workbox = new Workbox(url);
    workbox.addEventListener('waiting', () => this.setState('waiting'));
    workbox.addEventListener('controlling', (event) => {
      if (this.state === 'applying') window.location.reload();
      else if (event.isUpdate) this.setState('activated');
    });
    this.workbox = workbox;
    void workbox.register().catch(() => {
      // No service worker (private mode, an http origin): the app still runs online.
    });
    window.setInterval(() => {
      if (navigator.onLine) void workbox.update().catch(() => {});
    }, UPDATE_CHECK_MS);
  }

  getState = (): UpdateState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Takes the new version now. Call only between sales. */
  apply(): void {
    if (this.state === 'activated') {
      window.location.reload();
      return;
    }
    if (this.state !== 'waiting' || !this.workbox) return;
    this.setState('applying');
    this.workbox.messageSkipWaiting();
  }

  /** Called when a sale has just finished and the cart is empty: the automatic update moment. */
  applyIfReady(): void {
    if (this.state === 'waiting' || this.state === 'activated') this.apply();
  }

  private setState(state: UpdateState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
