import { api, getMe, getSystemInfo, type Me, type Permission, type SystemInfo, type TokenResponse } from './api';

export type SessionStatus = 'starting' | 'anonymous' | 'signed_in';

/** Who is signed in, what the server is, and whether the app has finished starting. */
export const session = $state<{
  status: SessionStatus;
  me: Me | null;
  info: SystemInfo | null;
  /** Set when the server ended the session under the user (expiry, revocation). */
  expired: boolean;
  /**
   * Started without a network: `me` is the copy kept at the last sign-in on this phone, there
   * is no token yet; the outbox and the pages read offline work, and the session is restored
   * when the network returns.
   */
  offline: boolean;
  /**
   * The server's info has been asked for and answered (or failed). The app leaves `starting`
   * only then, so the top bar has its final rows (the demo strip) before a page is drawn below
   * it, and the splash waits for it too: nothing below the bar moves when it arrives.
   */
  infoSettled: boolean;
}>({ status: 'starting', me: null, info: null, expired: false, offline: false, infoSettled: false });

// Who was signed in on this phone, so a reload without a network still opens their work. Not a
// credential (the token stays in memory, the refresh cookie HttpOnly); forgotten at sign-out
// and when the server ends the session.
const ME_KEY = 'tt.me';

function keepMe(me: Me | null): void {
  try {
    if (me) localStorage.setItem(ME_KEY, JSON.stringify(me));
    else localStorage.removeItem(ME_KEY);
  } catch {
    // Storage disabled: no offline start, nothing else changes.
  }
}

/**
 * Whether this browser may hold a live refresh cookie: someone signed in here and has not signed
 * out since (or storage is off and it cannot tell). Where nobody is signed in, the start does not
 * try the cookie: the refused refresh would be logged as a failed request on the first page a
 * visitor opens.
 */
function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(ME_KEY) !== null;
  } catch {
    return true;
  }
}

function keptMe(): Me | null {
  try {
    const raw = localStorage.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

export function hasPermission(p: Permission): boolean {
  return session.me?.permissions.includes(p) ?? false;
}

/** `before`: what must be settled before the profile is shown (at start, the server's info). */
async function loadMe(before?: Promise<unknown>): Promise<void> {
  const me = await getMe();
  await before;
  session.me = me;
  session.status = 'signed_in';
  session.expired = false;
  session.offline = false;
  keepMe(session.me);
}

/** Back online after an offline start: restore the real session (or end it if it is over). */
async function resume(): Promise<void> {
  if (!session.offline) return;
  try {
    if (await api.refresh()) await loadMe();
    else if (!api.offline()) {
      keepMe(null);
      session.me = null;
      session.offline = false;
      session.status = 'anonymous';
    }
  } catch {
    // Still no network: stay offline, try at the next 'online'.
  }
}

let started = false;

/** Runs once at start: server info, then a silent refresh to restore the session from the cookie. */
export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  api.onSession((user, reason) => {
    if (user === null) {
      keepMe(null);
      session.offline = false;
      session.me = null;
      session.status = 'anonymous';
      session.expired = reason === 'expired';
    }
  });
  const info = getSystemInfo()
    .then((i) => {
      session.info = i;
    })
    .catch(() => {
      // The badge and version are cosmetic; the rest of the app does not depend on them.
    })
    .finally(() => {
      session.infoSettled = true;
    });
  try {
    if (mayHaveSession() && (await api.refresh())) await loadMe(info);
    else {
      await info;
      if (api.offline() && keptMe()) startOffline();
      else {
        if (!api.offline()) keepMe(null);
        session.status = 'anonymous';
      }
    }
  } catch {
    api.clear();
    await info;
    if (keptMe()) startOffline();
    else session.status = 'anonymous';
  }
  if (typeof window !== 'undefined') window.addEventListener('online', () => void resume());
  await info;
}

/** Signs in; throws `MfaRequired` (from `lib/api`) when the account needs a second step. */
export async function signIn(username: string, password: string): Promise<void> {
  await api.login(username, password);
  await afterSignIn();
}

/** Finishes a sign-in whose second step (MFA) answered the tokens. */
export async function adoptSession(tok: TokenResponse): Promise<void> {
  api.adopt(tok);
  await afterSignIn();
}

async function afterSignIn(): Promise<void> {
  try {
    await loadMe();
  } catch (e) {
    api.clear();
    session.status = 'anonymous';
    throw e;
  }
}

export async function reloadMe(): Promise<void> {
  await loadMe();
}

function startOffline(): void {
  session.me = keptMe();
  session.offline = true;
  session.status = 'signed_in';
}

export async function signOut(): Promise<void> {
  keepMe(null);
  await api.logout();
  session.me = null;
  session.status = 'anonymous';
  session.expired = false;
  session.offline = false;
}
