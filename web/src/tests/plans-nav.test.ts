import { describe, expect, it } from 'vitest';
import { MODULES, modulesFor, navFor } from '../lib/nav';
import { routes } from '../routes';
import { allowed, matchRoute } from '../lib/router/match';

// As api/src/auth/permission.rs gives them: the Front reads dossier rows (masked), village heads do not.
const VILLAGE = ['read_units', 'report_tasks', 'read_plans', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'read_communes'];
const FRONT = ['read_units', 'report_tasks', 'read_plans', 'read_dossiers', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'read_communes'];
const ADMIN = ['manage_users', 'manage_units', 'manage_settings', 'read_units', 'read_audit', 'edit_plans', 'read_plans'];

const link = (perms: string[], role: string, href: string) => navFor(perms, role).find((l) => l.href === href);

describe('plans and tasks navigation', () => {
  it('calls the report list "Việc của thôn tôi" for a village head (their home) and "Việc của tôi" for others', () => {
    // A village head's home is that list, under the same name; it is not listed twice.
    expect(link(VILLAGE, 'village', '/')?.label).toBe('nav.my_village_tasks');
    expect(link(VILLAGE, 'village', '/my-tasks')).toBeUndefined();
    expect(link(FRONT, 'front', '/my-tasks')?.label).toBe('nav.my_tasks');
  });

  it('gives plans to whoever reads or edits them, and the report list only to reporters', () => {
    expect(link(VILLAGE, 'village', '/plans')).toBeDefined();
    expect(link(ADMIN, 'admin', '/plans')).toBeDefined();
    expect(link(ADMIN, 'admin', '/my-tasks')).toBeUndefined();
    expect(link(['read_statistics'], 'oversight', '/plans')).toBeUndefined();
  });

  it('opens the module cards on their pages', () => {
    const byId = new Map(MODULES.map((m) => [m.id, m]));
    expect(byId.get('plans')?.href).toBe('/plans');
    expect(byId.get('tasks')?.href).toBe('/my-tasks');
    expect(modulesFor(VILLAGE).map((m) => m.id)).toEqual(expect.arrayContaining(['plans', 'tasks']));
  });

  it('routes every plans page, and the editor only with edit_plans', () => {
    for (const path of ['/plans', '/plans/7', '/plans/7/tasks', '/plans/7/edit', '/plans/7/print', '/tasks/12', '/my-tasks']) {
      expect(matchRoute(routes, path), path).not.toBeNull();
    }
    expect(matchRoute(routes, '/plans/7')?.params).toEqual({ id: '7' });
    const editor = matchRoute(routes, '/plans/7/edit');
    expect(allowed(editor?.route.anyOf, VILLAGE)).toBe(false);
    expect(allowed(editor?.route.anyOf, ADMIN)).toBe(true);
    expect(allowed(matchRoute(routes, '/my-tasks')?.route.anyOf, ADMIN)).toBe(false);
    expect(allowed(matchRoute(routes, '/tasks/3')?.route.anyOf, VILLAGE)).toBe(true);
  });
});
