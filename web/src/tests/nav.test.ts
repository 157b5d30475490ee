import { describe, expect, it } from 'vitest';
import { currentHref, isCurrent, modulesFor, navFor, MODULES } from '../lib/nav';

// Permission sets shaped after domain/roles.md, as /auth/me reports them.
const PERMS: Record<string, string[]> = {
  admin: ['manage_users', 'manage_units', 'manage_settings', 'read_audit', 'edit_plans', 'read_plans', 'manage_procedures', 'read_statistics', 'manage_disclosures'],
  board: ['read_audit', 'edit_plans', 'report_tasks', 'read_plans', 'read_personal_data', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'evaluate'],
  village: ['report_tasks', 'read_plans', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures'],
  oversight: ['read_statistics'],
};

const hrefs = (perms: string[]) => navFor(perms).map((l) => l.href);

describe('navigation by permission', () => {
  it('shows every admin link to an admin', () => {
    expect(hrefs(PERMS.admin)).toEqual(['/', '/plans', '/onestop/dashboard', '/procedures', '/account', '/admin/users', '/admin/units', '/admin/audit', '/admin/calendar']);
  });

  it('shows the audit log, and only it, to the board', () => {
    expect(hrefs(PERMS.board)).toEqual(['/', '/plans', '/my-tasks', '/onestop/dashboard', '/account', '/admin/audit']);
  });

  it('shows no admin link to a village head or to oversight', () => {
    expect(navFor(PERMS.village).filter((l) => l.group === 'admin')).toEqual([]);
    expect(hrefs(PERMS.oversight)).toEqual(['/', '/onestop/dashboard', '/account']);
    expect(hrefs([])).toEqual(['/', '/account']);
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
    const ubnd = ['read_plans', 'report_tasks', 'manage_procedures', 'process_dossiers', 'import_dossiers', 'read_statistics'];
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
      if (['plans', 'tasks', 'onestop', 'procedures', 'statistics', 'users', 'units', 'audit', 'calendar', 'account'].includes(m.id)) expect(m.href, m.id).toBeDefined();
      else expect(m.href, m.id).toBeUndefined();
    }
  });
});
