import type { Component } from 'svelte';
import type { Permission, TokenUser } from '../api/types';

export type RouteParams = Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RouteModule = { default: Component<any> };

export interface RouteDef {
  /** `/admin/users`, `/users/:id`; matched whole, after trailing slashes are dropped. */
  path: string;
  /** One lazy chunk per route. */
  load: () => Promise<RouteModule>;
  /** Reachable without signing in (the login page). */
  public?: boolean;
  /** The user needs at least one of these permissions; empty or absent means any signed-in user. */
  anyOf?: readonly Permission[];
  /**
   * A commune's own records, which the server serves to that commune's people only: a user
   * without a commune of their own (province or district oversight) meets the no-access page
   * rather than a page whose every call is refused.
   */
  ownCommune?: boolean;
  /**
   * Called once at start, as soon as the restored session names its user and before their full
   * profile (permissions) has arrived: the route may ask for its chunk and its first data then,
   * in parallel with the profile, instead of after it (lib/api/early.ts).
   */
  warm?: (user: TokenUser) => void;
}

export interface Match {
  route: RouteDef;
  params: RouteParams;
}

/** Drops a trailing slash (except for the root) and repeated slashes. */
export function normalizePath(path: string): string {
  const clean = path.replace(/\/{2,}/g, '/');
  return clean.length > 1 ? clean.replace(/\/+$/, '') || '/' : clean || '/';
}

function segments(path: string): string[] {
  return normalizePath(path).split('/').filter(Boolean);
}

/** Matches one pattern; `:name` captures one decoded segment. */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** The first route whose pattern matches, or null (→ the 404 page). */
export function matchRoute(routes: readonly RouteDef[], path: string): Match | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** Whether the permissions allow a route (or a nav item) that needs any of `anyOf`. */
export function allowed(anyOf: readonly string[] | undefined, permissions: readonly string[]): boolean {
  return !anyOf || anyOf.length === 0 || anyOf.some((p) => permissions.includes(p));
}

/** Whether a signed-in user may open `route`: one of its permissions, and a commune of their own where it needs one. */
export function mayOpen(route: Pick<RouteDef, 'anyOf' | 'ownCommune'>, permissions: readonly string[], hasCommune: boolean): boolean {
  return allowed(route.anyOf, permissions) && (!route.ownCommune || hasCommune);
}

/**
 * Only same-app paths are accepted as a post-login target, so `?next=` cannot send the user
 * to another site (`//evil.example`, `https://…`).
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
