import { describe, expect, it } from 'vitest';
import { navForRole, navFor, navLabelFor, tabsFor } from '../lib/nav';
import { basePath, fold, matchesCommune, splitPath, type PublicCommune } from '../features/public/place';

const VILLAGE = ['read_units', 'report_tasks', 'read_plans', 'read_statistics', 'handle_reception', 'read_communes',
  'read_democracy', 'relay_disclosures', 'submit_petitions', 'capture_survey_answers'];
const BOARD = ['read_units', 'read_audit', 'edit_plans', 'report_tasks', 'read_plans', 'read_dossiers', 'read_personal_data',
  'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'evaluate', 'read_communes', 'set_targets',
  'read_democracy', 'process_petitions', 'submit_petitions', 'capture_survey_answers'];
const UBND = ['read_units', 'report_tasks', 'read_plans', 'manage_procedures', 'process_dossiers', 'import_dossiers', 'read_dossiers',
  'read_personal_data', 'read_statistics', 'handle_reception', 'manage_disclosures', 'read_communes', 'read_democracy',
  'process_petitions', 'submit_petitions', 'read_evaluations'];

describe('the tab bar and the menu of each role', () => {
  it('a village head: home first, then relays and surveys; no one-stop dashboard', () => {
    const links = navForRole(VILLAGE, 'village');
    expect(links.map((l) => l.href)).not.toContain('/onestop/dashboard');
    expect(navFor(VILLAGE, 'village').map((l) => l.href)).toContain('/onestop/dashboard');
    const tabs = tabsFor(links, 'village');
    expect(tabs.map((t) => t.href)).toEqual(['/', '/disclosures', '/surveys']);
    expect(tabs[0].label).toBe('nav.my_village_tasks');
  });

  it('the board: four tabs, named as in the menu', () => {
    const links = navForRole(BOARD, 'board');
    const tabs = tabsFor(links, 'board');
    expect(tabs.map((t) => t.href)).toEqual(['/', '/plans', '/onestop/dashboard', '/disclosures']);
    for (const tab of tabs) expect(links.find((l) => l.href === tab.href)?.label).toBe(tab.label);
  });

  it('the desk: its daily pages, each with a name short enough for a tab', () => {
    const links = navForRole(UBND, 'ubnd');
    const tabs = tabsFor(links, 'ubnd');
    expect(tabs.map((t) => t.href)).toEqual(['/', '/onestop', '/petitions', '/my-tasks']);
    for (const tab of tabs) expect(links.find((l) => l.href === tab.href)?.label).toBe(tab.label);
  });

  it('a card names the menu entry it opens', () => {
    const links = navForRole(BOARD, 'board');
    expect(navLabelFor(links, '/onestop/dashboard')).toBe('nav.dashboard');
    expect(navLabelFor(links, '/plans/3/tasks?overdue=true')).toBe('nav.plans');
    expect(navLabelFor(links, '/tasks?overdue=true')).toBe('nav.plans');
    expect(navLabelFor(links, '/tasks/12')).toBe('nav.plans');
    expect(navLabelFor(links, '/tasksheet')).toBeNull();
    expect(navLabelFor(links, '/disclosures?status=current&unrelayed=true')).toBe('module.disclosures');
    expect(navLabelFor(links, '/nowhere')).toBeNull();
  });
});

describe('the commune of a citizen page', () => {
  const c = (id: number, code: string, name: string): PublicCommune => ({
    id,
    code,
    name,
    authority_name: 'Tỉnh Thanh Hóa',
    people_committee: `UBND xã ${name}`,
    onestop_name: 'Bộ phận Một cửa',
  });

  it('reads /x/{code}/… and keeps the short addresses otherwise', () => {
    expect(splitPath('/x/binh-luong/thu-tuc')).toEqual({ code: 'binh-luong', rest: '/thu-tuc' });
    expect(splitPath('/x/12/thu-tuc/1.001193')).toEqual({ code: '12', rest: '/thu-tuc/1.001193' });
    expect(splitPath('/x/12')).toEqual({ code: '12', rest: '/thu-tuc' });
    expect(splitPath('/thu-tuc')).toEqual({ code: null, rest: '/thu-tuc' });
    expect(basePath(c(1, 'bl', 'Bình Lương'), true)).toBe('/x/bl');
    expect(basePath(c(1, 'bl', 'Bình Lương'), false)).toBe('');
    expect(basePath(null, true)).toBe('');
  });

  it('the picker searches without diacritics', () => {
    expect(fold('Bình Lương')).toBe('binh luong');
    expect(fold('Đồng Tâm')).toBe('dong tam');
    expect(fold('\u00d0ồng Tâm')).toBe('dong tam');
    expect(matchesCommune(c(1, 'bl', 'Bình Lương'), 'binh luong')).toBe(true);
    expect(matchesCommune(c(1, 'bl', 'Bình Lương'), 'BÌNH')).toBe(true);
    expect(matchesCommune(c(2, 'dt', 'Đồng Tâm'), 'dong')).toBe(true);
    expect(matchesCommune(c(2, 'dt', 'Đồng Tâm'), 'luong')).toBe(false);
    expect(matchesCommune(c(2, 'dt', 'Đồng Tâm'), '')).toBe(true);
  });
});
