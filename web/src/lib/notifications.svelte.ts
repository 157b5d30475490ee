// The unread count the shell's bell shows: read from `/notifications/unread` on sign-in, every
// two minutes and when the inbox changes it (the inbox calls `notifyUnread`).
import { http } from './api';

export const inbox = $state({ unread: 0 });

export function notifyUnread(n: number) {
  inbox.unread = n;
}

export async function refreshUnread(): Promise<void> {
  try {
    inbox.unread = (await http.get('/notifications/unread')).unread;
  } catch {
    // Offline or signed out: keep the last count.
  }
}

/** Polls while signed in; returns the stop function. */
export function startUnreadPolling(everyMs = 120_000): () => void {
  void refreshUnread();
  const id = setInterval(() => void refreshUnread(), everyMs);
  return () => clearInterval(id);
}
