// Background work waits for the phone to be idle, so it never competes with drawing what the
// user is looking at.

/**
 * Resolves once the page has loaded and the main thread is idle (or after `timeout` ms at the
 * latest): background work — keeping pages for offline use — waits for it, so on a weak phone
 * it never competes with drawing what the user is looking at.
 */
export function whenIdle(timeout = 3000): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout });
      else setTimeout(resolve, 0);
    };
    if (typeof document === 'undefined' || document.readyState === 'complete') go();
    else window.addEventListener('load', go, { once: true });
  });
}
