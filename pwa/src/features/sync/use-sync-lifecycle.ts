import { useEffect } from 'react';
import { useTill } from '../../app/till-context.ts';
import { watchUnsentCount, watchUnsentShiftEvents } from '../../db/index.ts';

/**
 * Runs the sync engine while the app is open and feeds it its triggers: a new unsent sale or
 * shift event (in this tab or another: the counts are watched through IndexedDB), the `online`
 * event, and the page becoming visible. A new enrollment lifts a block (not enrolled, revoked).
 */
export function useSyncLifecycle(deviceId: string | null): void {
  const { db, engine } = useTill();

  useEffect(() => {
    engine.start();
    return () => engine.stop();
  }, [engine]);

  useEffect(() => {
    const onOnline = () => engine.trigger('online');
    const onVisibility = () => {
      if (document.visibilityState === 'visible') engine.trigger('visible');
    };
    let lastCount = 0;
    const stopWatching = watchUnsentCount(db, (count) => {
      if (count > lastCount) engine.trigger('sale');
      lastCount = count;
    });
    let lastShiftCount = 0;
    const stopWatchingShifts = watchUnsentShiftEvents(db, (count) => {
      if (count > lastShiftCount) engine.trigger('shift');
      lastShiftCount = count;
    });
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopWatching();
      stopWatchingShifts();
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [db, engine]);

  useEffect(() => {
    if (deviceId) engine.resume();
  }, [engine, deviceId]);
}
