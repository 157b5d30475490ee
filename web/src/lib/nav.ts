import type { MessageKey } from '../i18n/index.svelte';
import type { Permission } from './api/types';
import { allowed } from './router/match';

export interface ModuleItem {
  id: string;
  /** Title message key; `${title}_desc` is its one-line description. */
  title: MessageKey;
  desc: MessageKey;
  /** The page, once the module is built; absent → shown as "coming soon". */
  href?: string;
  /** Any one of these permissions shows the module; empty → every signed-in user. */
  anyOf: readonly Permission[];
  group: 'work' | 'admin' | 'me';
  /** Where the card leads for a role whose page of that module is another (by role). */
  roleHref?: Readonly<Record<string, string>>;
}

/** Every module of the product, in the order people meet them. */
export const MODULES: readonly ModuleItem[] = [
  { id: 'plans', title: 'module.plans', desc: 'module.plans_desc', href: '/plans', anyOf: ['edit_plans', 'read_plans'], group: 'work' },
  { id: 'tasks', title: 'module.tasks', desc: 'module.tasks_desc', href: '/my-tasks', anyOf: ['report_tasks'], group: 'work' },
  { id: 'onestop', title: 'module.onestop', desc: 'module.onestop_desc', href: '/onestop', anyOf: ['process_dossiers'], group: 'work' },
  { id: 'procedures', title: 'module.procedures', desc: 'module.procedures_desc', href: '/procedures', anyOf: ['manage_procedures'], group: 'work' },
  // The province reads the communes side by side (satisfaction, petitions, democracy) on
  // /oversight, which links on to the one-stop indicators: the card's promise holds there.
  { id: 'statistics', title: 'module.statistics', desc: 'module.statistics_desc', href: '/onestop/dashboard', anyOf: ['read_statistics'], group: 'work', roleHref: { oversight: '/oversight' } },
  { id: 'surveys', title: 'module.surveys', desc: 'module.surveys_desc', href: '/surveys', anyOf: ['run_surveys', 'capture_survey_answers'], group: 'work' },
  { id: 'reception', title: 'module.reception', desc: 'module.reception_desc', href: '/reception', anyOf: ['handle_reception'], group: 'work' },
  { id: 'disclosures', title: 'module.disclosures', desc: 'module.disclosures_desc', href: '/disclosures', anyOf: ['read_democracy'], group: 'work' },
  { id: 'evaluation', title: 'module.evaluation', desc: 'module.evaluation_desc', href: '/evaluations', anyOf: ['evaluate', 'read_evaluations'], group: 'work' },
  { id: 'users', title: 'module.users', desc: 'module.users_desc', href: '/admin/users', anyOf: ['manage_users'], group: 'admin' },
  { id: 'units', title: 'module.units', desc: 'module.units_desc', href: '/admin/units', anyOf: ['manage_units'], group: 'admin' },
  { id: 'audit', title: 'module.audit', desc: 'module.audit_desc', href: '/admin/audit', anyOf: ['read_audit'], group: 'admin' },
  { id: 'calendar', title: 'module.calendar', desc: 'module.calendar_desc', href: '/admin/calendar', anyOf: ['manage_settings'], group: 'admin' },
  { id: 'account', title: 'module.account', desc: 'module.account_desc', href: '/account', anyOf: [], group: 'me' },
  { id: 'api_keys', title: 'module.api_keys', desc: 'module.api_keys_desc', href: '/admin/api-keys', anyOf: ['manage_api_keys'], group: 'admin' },
  { id: 'petitions', title: 'module.petitions', desc: 'module.petitions_desc', href: '/petitions', anyOf: ['process_petitions'], group: 'work' },
];

/** The modules a user with these permissions may use (built or not), each leading to its role's page. */
export function modulesFor(permissions: readonly string[], modules: readonly ModuleItem[] = MODULES, role?: string): ModuleItem[] {
  return modules
    .filter((m) => allowed(m.anyOf, permissions))
    .map((m) => (role && m.roleHref?.[role] ? { ...m, href: m.roleHref[role] } : m));
}

export interface NavLink {
  href: string;
  label: MessageKey;
  group: 'main' | 'admin';
}

// `villageLabel`: the label a village head sees instead (their unit is a village). A village
// head's home is their village's tasks, so the menu calls it by that name and does not list
// `/my-tasks` a second time (`villageHidden`).
// `roles`: shown to these roles only (a page built for one kind of user, though the permission is wider).
const NAV: ReadonlyArray<NavLink & { anyOf: readonly Permission[]; villageLabel?: MessageKey; villageHidden?: boolean; roles?: readonly string[] }> = [
  { href: '/', label: 'nav.home', villageLabel: 'nav.my_village_tasks', group: 'main', anyOf: [] },
  { href: '/plans', label: 'nav.plans', group: 'main', anyOf: ['read_plans', 'edit_plans'] },
  { href: '/my-tasks', label: 'nav.my_tasks', villageLabel: 'nav.my_village_tasks', villageHidden: true, group: 'main', anyOf: ['report_tasks'] },
  { href: '/onestop', label: 'nav.onestop', group: 'main', anyOf: ['process_dossiers'] },
  { href: '/oversight', label: 'nav.oversight', group: 'main', anyOf: ['read_statistics'], roles: ['oversight'] },
  { href: '/onestop/dashboard', label: 'nav.dashboard', group: 'main', anyOf: ['read_statistics'] },
  { href: '/procedures', label: 'nav.procedures', group: 'main', anyOf: ['manage_procedures'] },
  { href: '/surveys', label: 'nav.surveys', group: 'main', anyOf: ['run_surveys', 'capture_survey_answers'] },
  { href: '/account', label: 'nav.account', group: 'main', anyOf: [] },
  { href: '/admin/users', label: 'nav.users', group: 'admin', anyOf: ['manage_users'] },
  { href: '/admin/units', label: 'nav.units', group: 'admin', anyOf: ['manage_units'] },
  { href: '/admin/audit', label: 'nav.audit', group: 'admin', anyOf: ['read_audit'] },
  { href: '/admin/calendar', label: 'nav.calendar', group: 'admin', anyOf: ['manage_settings'] },
  { href: '/admin/api-keys', label: 'nav.api_keys', group: 'admin', anyOf: ['manage_api_keys'] },
  { href: '/admin/feedback-categories', label: 'nav.feedback_categories', group: 'admin', anyOf: ['manage_settings'] },
  { href: '/disclosures', label: 'module.disclosures', group: 'main', anyOf: ['read_democracy'] },
  { href: '/petitions', label: 'nav.petitions', group: 'main', anyOf: ['process_petitions'] },
  { href: '/reception', label: 'nav.reception', group: 'main', anyOf: ['process_petitions'] },
  { href: '/petitions/new', label: 'nav.petition_new', group: 'main', anyOf: ['submit_petitions'] },
  { href: '/evaluations', label: 'module.evaluation', group: 'main', anyOf: ['read_evaluations'] },
  { href: '/dialogues', label: 'module.dialogues', group: 'main', anyOf: ['read_democracy'] },
  { href: '/activities', label: 'module.activities', group: 'main', anyOf: ['read_democracy'] },
  { href: '/meetings', label: 'module.meetings', group: 'main', anyOf: ['read_democracy'] },
  { href: '/community-boards', label: 'module.boards', group: 'main', anyOf: ['read_democracy'] },
  { href: '/admin/scheduler', label: 'nav.scheduler', group: 'admin', anyOf: ['manage_settings'] },
];

/** The navigation links for these permissions: admin links only with their permission. */
export function navFor(permissions: readonly string[], role?: string): NavLink[] {
  const village = role === 'village';
  return NAV.filter((l) => allowed(l.anyOf, permissions) && !(village && l.villageHidden) && (!l.roles || l.roles.includes(role ?? ''))).map(({ href, label, group, villageLabel }) => ({
    href,
    label: role === 'village' && villageLabel ? villageLabel : label,
    group,
  }));
}

/** Whether `href` is the current page or a section that contains it. */
export function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/**
 * The one link to mark as current among `hrefs`: the most specific section containing `path`
 * (on /onestop/dashboard that is the dashboard, not the dossier list above it).
 */
export function currentHref(hrefs: readonly string[], path: string): string | null {
  const inSection = sectionPath(path);
  let best: string | null = null;
  for (const h of hrefs) if (isCurrent(h, inSection) && (best === null || h.length > best.length)) best = h;
  return best;
}

/** Pages whose address does not start with their section's: a task, and the tasks of every active plan, are the plans'. */
const SECTION_OF: Readonly<Record<string, string>> = { '/tasks': '/plans' };

function sectionPath(path: string): string {
  for (const [prefix, section] of Object.entries(SECTION_OF)) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return section + path.slice(prefix.length);
  }
  return path;
}

// ---- what each role sees (the phone's tab bar, and modules that do not concern a role) ----

/** Pages listed in a permission's menu that do not concern a role, by role. */
const NOT_FOR_ROLE: Readonly<Record<string, readonly string[]>> = {
  // A village head reads the commune's one-stop figures nowhere but on their home page.
  village: ['/onestop/dashboard'],
};

/** The menu of a role: `navFor` without the pages that do not concern it. */
export function navForRole(permissions: readonly string[], role?: string): NavLink[] {
  const hidden = NOT_FOR_ROLE[role ?? ''] ?? [];
  return navFor(permissions, role).filter((l) => !hidden.includes(l.href));
}

/** The 3–4 things each role does most, in order: the tab bar on a phone (☰ holds the rest). */
const TABS: Readonly<Record<string, readonly string[]>> = {
  board: ['/', '/plans', '/onestop/dashboard', '/disclosures'],
  ubnd: ['/', '/onestop', '/petitions', '/my-tasks'],
  front: ['/', '/surveys', '/my-tasks', '/disclosures'],
  village: ['/', '/disclosures', '/surveys'],
  oversight: ['/', '/oversight', '/onestop/dashboard'],
  admin: ['/', '/admin/users', '/admin/units', '/admin/audit'],
};

/** The tab bar of a role, taken from its menu so a tab and its menu entry share one name. */
export function tabsFor(links: readonly NavLink[], role?: string): NavLink[] {
  const wanted = TABS[role ?? ''] ?? ['/'];
  return wanted.flatMap((href) => links.filter((l) => l.href === href)).slice(0, 4);
}

/** The menu entry that names the page `href` points into (so a card says where it leads). */
export function navLabelFor(links: readonly NavLink[], href: string): MessageKey | null {
  const path = href.split('?')[0];
  const best = currentHref(links.map((l) => l.href).filter((h) => h !== '/'), path);
  return links.find((l) => l.href === best)?.label ?? null;
}
