import { api, getMe, getSystemInfo, type Me, type Permission, type SystemInfo, type TokenResponse } from './api';

export type SessionStatus = 'starting' | 'anonymous' | 'signed_in';

/** Who is signed in, what the server is, and whether the app has finished starting. */
export const session = $state<{
  status: SessionStatus;
  me: Me | null;
  info: SystemInfo | null;
  /** Set when the server ended the session under the user (expiry, revocation). */
  expired: boolean;
}>({ status: 'starting', me: null, info: null, expired: false });

export function hasPermission(p: Permission): boolean {
  return session.me?.permissions.includes(p) ?? false;
}

async function loadMe(): Promise<void> {
  session.me = await getMe();
  session.status = 'signed_in';
  session.expired = false;
}

let started = false;

/** Runs once at start: server info, then a silent refresh to restore the session from the cookie. */
export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  api.onSession((user, reason) => {
    if (user === null) {
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
    });
  try {
    if (await api.refresh()) await loadMe();
    else session.status = 'anonymous';
  } catch {
    api.clear();
    session.status = 'anonymous';
  }
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

export async function signOut(): Promise<void> {
  await api.logout();
  session.me = null;
  session.status = 'anonymous';
  session.expired = false;
}
