import { useEffect, useRef } from 'react';
import { BarcodeCollector } from './barcode-collector.ts';

/**
 * Listens for a keyboard-wedge scanner anywhere on the page: a fast burst of keys ending in
 * Enter is a scan. Typing in a form field is left alone, except in fields marked
 * `data-scan-target` (the product search), where a scan also lands.
 */
export function useBarcodeScanner(onScan: (code: string) => void, enabled: boolean): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);

  useEffect(() => {
    if (!enabled) return;
    const collector = new BarcodeCollector();
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      const editable =
        target instanceof HTMLTextAreaElement ||
        (target instanceof HTMLInputElement && target.dataset.scanTarget === undefined);
      if (editable || event.ctrlKey || event.metaKey || event.altKey) return;
      const code = collector.feed(event.key, event.timeStamp);
      if (code) {
        event.preventDefault();
        handler.current(code);
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [enabled]);
}
