import { describe, expect, it } from 'vitest';
import { currentHref, isCurrent, modulesFor, navFor, navForRole, tabsFor, MODULES } from '../lib/nav';
import { matchRoute, mayOpen } from '../lib/router/match';
import { routes } from '../routes';

// Permission sets as api/src/auth/permission.rs gives them (and /auth/me reports them).
const PERMS: Record<string, string[]> = {
  admin: ['manage_users', 'manage_units', 'manage_settings', 'read_units', 'read_audit', 'edit_plans', 'read_plans', 'manage_procedures', 'read_dossiers', 'read_statistics', 'manage_disclosures', 'read_communes'],
  board: ['read_units', 'read_audit', 'edit_plans', 'report_tasks', 'read_plans', 'read_dossiers', 'read_personal_data', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'evaluate', 'read_communes', 'set_targets'],
  // Village heads: one-stop aggregates only, no `read_dossiers`.
  village: ['read_units', 'report_tasks', 'read_plans', 'read_statistics', 'handle_reception', 'manage_disclosures', 'read_communes', 'capture_survey_answers'],
  oversight: ['read_dossiers', 'read_statistics', 'read_communes'],
};

const hrefs = (perms: string[]) => navFor(perms).map((l) => l.href);

describe('navigation by permission', () => {
  it('shows every admin link to an admin', () => {
    expect(hrefs(PERMS.admin)).toEqual(['/', '/plans', '/onestop/dashboard', '/procedures', '/account', '/admin/users', '/admin/units', '/admin/audit', '/admin/calendar', '/admin/feedback-categories', '/admin/scheduler']);
  });

  it('shows the audit log, and only it, to the board', () => {
    expect(hrefs(PERMS.board)).toEqual(['/', '/plans', '/my-tasks', '/onestop/dashboard', '/surveys', '/account', '/admin/audit']);
  });

  it('shows no admin link to a village head or to oversight', () => {
    expect(navFor(PERMS.village).filter((l) => l.group === 'admin')).toEqual([]);
    expect(hrefs(PERMS.oversight)).toEqual(['/', '/onestop/dashboard', '/account']);
    expect(hrefs([])).toEqual(['/', '/account']);
  });

  it('gives the province its communes overview: in its menu, its tab bar and behind its “Chỉ số & thống kê” card', () => {
    const links = navForRole(PERMS.oversight, 'oversight');
    expect(links.map((l) => l.href)).toEqual(['/', '/oversight', '/onestop/dashboard', '/account']);
    expect(tabsFor(links, 'oversight').map((l) => l.href)).toEqual(['/', '/oversight', '/onestop/dashboard']);
    // The card promises satisfaction: for the province it leads to the page that shows it.
    const stats = modulesFor(PERMS.oversight, MODULES, 'oversight').find((m) => m.id === 'statistics');
    expect(stats?.href).toBe('/oversight');
    expect(matchRoute(routes, '/oversight')?.route.anyOf).toEqual(['read_statistics']);
    // A commune's people keep their menu and their card as they were.
    expect(navForRole(PERMS.board, 'board').map((l) => l.href)).not.toContain('/oversight');
    expect(modulesFor(PERMS.board, MODULES, 'board').find((m) => m.id === 'statistics')?.href).toBe('/onestop/dashboard');
  });

  it('each admin link needs exactly its own permission', () => {
    expect(hrefs(['manage_units'])).toEqual(['/', '/account', '/admin/units']);
    expect(hrefs(['manage_users'])).toEqual(['/', '/account', '/admin/users']);
  });

  it('marks the current section', () => {
    expect(isCurrent('/', '/')).toBe(true);
    expect(isCurrent('/', '/account')).toBe(false);
    expect(isCurrent('/admin/users', '/admin/users/7')).toBe(true);
    expect(isCurrent('/admin/users', '/admin/userssss')).toBe(false);
  });

  it('marks only the most specific section: the dashboard, not the dossier list above it', () => {
    const links = ['/', '/onestop', '/onestop/dashboard', '/account'];
    expect(currentHref(links, '/onestop/dashboard')).toBe('/onestop/dashboard');
    expect(currentHref(links, '/onestop/dossiers/7')).toBe('/onestop');
    expect(currentHref(links, '/onestop')).toBe('/onestop');
    expect(currentHref(links, '/')).toBe('/');
    expect(currentHref(links, '/plans')).toBeNull();
  });

  it('puts the one-stop dashboard under the dossier list for the one-stop staff', () => {
    const ubnd = ['read_units', 'report_tasks', 'read_plans', 'manage_procedures', 'process_dossiers', 'import_dossiers', 'read_dossiers', 'read_personal_data', 'read_statistics', 'handle_reception', 'manage_disclosures', 'read_communes'];
    const h = hrefs(ubnd);
    expect(h.indexOf('/onestop/dashboard')).toBe(h.indexOf('/onestop') + 1);
  });
});

describe('home modules by permission', () => {
  it('gives the village head their work modules, no admin ones', () => {
    const ids = modulesFor(PERMS.village).map((m) => m.id);
    expect(ids).toContain('tasks');
    expect(ids).toContain('surveys');
    expect(ids).not.toContain('users');
    expect(ids).not.toContain('audit');
    expect(ids).not.toContain('onestop');
    expect(ids).toContain('account');
  });

  it('every built module links to a page, the rest are "coming soon"', () => {
    for (const m of MODULES) {
      if (['plans', 'tasks', 'onestop', 'procedures', 'statistics', 'surveys', 'users', 'units', 'audit', 'calendar', 'account', 'api_keys', 'disclosures', 'reception', 'petitions', 'evaluation'].includes(m.id)) expect(m.href, m.id).toBeDefined();
      else expect(m.href, m.id).toBeUndefined();
    }
  });
});

describe('one-stop routes by permission (read_dossiers)', () => {
  const may = (path: string, perms: string[]) => {
    const m = matchRoute(routes, path);
    if (!m) throw new Error(`no route for ${path}`);
    return !m.route.anyOf || m.route.anyOf.some((p) => perms.includes(p));
  };

  it('opens the dossier list and a dossier to the roles that read dossiers, never to a village head', () => {
    for (const role of ['admin', 'board', 'oversight']) {
      expect(may('/onestop', PERMS[role]), role).toBe(true);
      expect(may('/onestop/dossiers/7', PERMS[role]), role).toBe(true);
    }
    expect(may('/onestop', PERMS.village)).toBe(false);
    expect(may('/onestop/dossiers/7', PERMS.village)).toBe(false);
    expect(may('/onestop/counter', PERMS.village)).toBe(false);
    // The aggregates stay theirs.
    expect(may('/onestop/dashboard', PERMS.village)).toBe(true);
  });

  it('routes the counter list and the counter slip; recording stays with the desk', () => {
    expect(matchRoute(routes, '/onestop/counter/12/print')?.params).toEqual({ id: '12' });
    expect(may('/onestop/counter', PERMS.board)).toBe(true);
    expect(may('/onestop/counter/12/print', PERMS.board)).toBe(false);
    expect(may('/onestop/new', PERMS.board)).toBe(false);
  });

  it('does not open the counter list to oversight, whom the server refuses it (own commune only)', () => {
    const counter = matchRoute(routes, '/onestop/counter')!.route;
    expect(mayOpen(counter, PERMS.oversight, false)).toBe(false);
    expect(mayOpen(counter, PERMS.board, true)).toBe(true);
  });

  it('gives a village head no dossier link anywhere in the menu', () => {
    expect(hrefs(PERMS.village).filter((h) => h === '/onestop' || h.startsWith('/onestop/dossiers'))).toEqual([]);
  });
});
