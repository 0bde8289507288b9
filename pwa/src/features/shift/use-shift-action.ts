import { useCallback, useRef, useState } from 'react';

/**
 * Runs one shift action (open, cash in/out, close) with a pending flag and a message a cashier
 * can read on failure. A double tap runs it once: state updates are too late to stop it.
 */
export function useShiftAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | null> => {
    if (inFlight.current) return null;
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      return await action();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : 'That did not work. Try again.');
      return null;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }, []);

  return { run, pending, error, setError };
}
