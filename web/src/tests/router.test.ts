import { describe, expect, it } from 'vitest';
import { allowed, matchPath, matchRoute, mayOpen, normalizePath, safeNext } from '../lib/router/match';
import { routes } from '../routes';

describe('route matching', () => {
  it('matches every page of the app', () => {
    expect(matchRoute(routes, '/')?.route.path).toBe('/');
    expect(matchRoute(routes, '/login')?.route.public).toBe(true);
    expect(matchRoute(routes, '/account')?.route.path).toBe('/account');
    expect(matchRoute(routes, '/admin/users')?.route.anyOf).toEqual(['manage_users']);
    expect(matchRoute(routes, '/admin/units')?.route.anyOf).toEqual(['manage_units']);
    expect(matchRoute(routes, '/admin/audit')?.route.anyOf).toEqual(['read_audit']);
  });

  it('ignores trailing and repeated slashes', () => {
    expect(normalizePath('/admin/users/')).toBe('/admin/users');
    expect(normalizePath('//admin//units')).toBe('/admin/units');
    expect(normalizePath('')).toBe('/');
    expect(matchRoute(routes, '/admin/users/')?.route.path).toBe('/admin/users');
  });

  it('returns null for unknown paths (the 404 page)', () => {
    expect(matchRoute(routes, '/nope')).toBeNull();
    expect(matchRoute(routes, '/admin')).toBeNull();
    expect(matchRoute(routes, '/admin/users/extra')).toBeNull();
    expect(matchRoute(routes, '/Login')).toBeNull();
  });

  it('captures and decodes parameters', () => {
    expect(matchPath('/users/:id', '/users/42')).toEqual({ id: '42' });
    expect(matchPath('/units/:name/edit', '/units/Th%C3%B4n%201/edit')).toEqual({ name: 'Thôn 1' });
    expect(matchPath('/users/:id', '/users')).toBeNull();
    expect(matchPath('/users/:id', '/users/%E0%A4%A')).toBeNull();
  });

  it('gives each route its own lazy loader', () => {
    expect(new Set(routes.map((r) => r.load)).size).toBe(routes.length);
  });
});

describe('guards', () => {
  it('allows a route when any required permission is held', () => {
    expect(allowed(undefined, [])).toBe(true);
    expect(allowed([], [])).toBe(true);
    expect(allowed(['manage_users'], ['read_plans'])).toBe(false);
    expect(allowed(['read_audit', 'manage_users'], ['read_audit'])).toBe(true);
  });

  it("keeps a user without a commune (oversight) out of a commune's own records", () => {
    const surveys = matchRoute(routes, '/surveys')?.route;
    const dossier = matchRoute(routes, '/onestop/dossiers/7')?.route;
    const list = matchRoute(routes, '/onestop')?.route;
    if (!surveys || !dossier || !list) throw new Error('routes');
    expect(mayOpen(surveys, ['read_statistics'], true)).toBe(true);
    expect(mayOpen(surveys, ['read_statistics'], false)).toBe(false);
    expect(mayOpen(dossier, ['read_dossiers'], false)).toBe(false);
    // The list opens one commune it oversees (`?commune_id=`).
    expect(mayOpen(list, ['read_dossiers'], false)).toBe(true);
    expect(mayOpen(list, ['read_plans'], true)).toBe(false);
  });

  it('only follows same-app ?next= targets', () => {
    expect(safeNext('/admin/users?q=a')).toBe('/admin/users?q=a');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });
});
