import type { RouteDef } from './lib/router/match';
import type { TokenUser } from './lib/api/types';
import { session } from './lib/session.svelte';
import { prefetchMyTasks } from './features/plans/mine';

/** The village head's task list: its own page, and the village head's home. */
const myTasks = () => import('./features/plans/MyTasks.svelte');
const home = () => import('./features/home/Home.svelte');

/** A village head's start: the list's code and its first page, asked for together. */
function warmVillageTasks(user: TokenUser, page: () => Promise<unknown>): void {
  if (user.role !== 'village') return;
  void page().catch(() => undefined);
  void myTasks().catch(() => undefined);
  prefetchMyTasks(user.id);
}

/** Every page of the app; each `import()` becomes its own chunk, loaded on first visit. */
export const routes: readonly RouteDef[] = [
  { path: '/login', public: true, load: () => import('./features/auth/Login.svelte') },
  {
    path: '/',
    load: () => {
      // A village head's home is their task list (Home.svelte): ask for its chunk alongside the
      // home's, not once the home has arrived — one round trip less on a slow phone network.
      const me = session.me;
      if (me?.user.role === 'village' && me.permissions.includes('report_tasks')) void myTasks();
      return home();
    },
    warm: (user) => warmVillageTasks(user, home),
  },
  { path: '/account', load: () => import('./features/auth/Account.svelte') },
  { path: '/admin/users', anyOf: ['manage_users'], load: () => import('./features/org/AdminUsers.svelte') },
  { path: '/admin/units', anyOf: ['manage_units'], load: () => import('./features/org/AdminUnits.svelte') },
  { path: '/admin/audit', anyOf: ['read_audit'], load: () => import('./features/audit/AdminAudit.svelte') },
  // One-stop shop, procedures and the working calendar. The citizen pages also have
  // their own small entry (public.html); these routes serve them when the server falls back to index.html.
  // The list and a dossier are readable by the roles holding `read_dossiers` (personal data masked
  // by the server); village heads see aggregates only (the dashboard), never dossier rows.
  // Oversight (no commune of its own) opens the list of one commune it oversees (`?commune_id=`),
  // masked; a single dossier is its own commune's staff's only (`ownCommune`), so the list does
  // not link rows for it.
  { path: '/onestop', anyOf: ['process_dossiers', 'read_dossiers'], load: () => import('./features/onestop/Dossiers.svelte') },
  // One-stop indicators, the 766 index, online levels and the import.
  { path: '/onestop/dashboard', anyOf: ['read_statistics'], load: () => import('./features/onestop/Dashboard.svelte') },
  // The communes side by side for the province (satisfaction, petitions, democracy): aggregates
  // the server gives every holder of `read_statistics` (a commune's staff: their own commune).
  { path: '/oversight', anyOf: ['read_statistics'], load: () => import('./features/oversight/Oversight.svelte') },
  { path: '/onestop/import', anyOf: ['import_dossiers'], load: () => import('./features/onestop/Import.svelte') },
  { path: '/onestop/new', anyOf: ['process_dossiers'], load: () => import('./features/onestop/Intake.svelte') },
  { path: '/onestop/register', anyOf: ['process_dossiers', 'read_personal_data'], load: () => import('./features/onestop/Register.svelte') },
  { path: '/onestop/dossiers/:id', ownCommune: true, anyOf: ['process_dossiers', 'read_dossiers'], load: () => import('./features/onestop/Dossier.svelte') },
  { path: '/onestop/dossiers/:id/print/:form', ownCommune: true, anyOf: ['process_dossiers'], load: () => import('./features/onestop/Print.svelte') },
  // Counter guidance (form 02) and refusals (form 03): not dossiers, recorded at the desk. The
  // server lists them for the caller's own commune only (`in_commune`): oversight gets 403.
  { path: '/onestop/counter', ownCommune: true, anyOf: ['process_dossiers', 'read_dossiers'], load: () => import('./features/onestop/Counter.svelte') },
  { path: '/onestop/counter/:id/print', anyOf: ['process_dossiers'], load: () => import('./features/onestop/CounterPrint.svelte') },
  { path: '/procedures', anyOf: ['manage_procedures'], load: () => import('./features/onestop/Procedures.svelte') },
  { path: '/admin/calendar', anyOf: ['manage_settings'], load: () => import('./features/calendar/Calendar.svelte') },
  { path: '/tra-cuu', public: true, load: () => import('./features/public/PublicLookupRoute.svelte') },
  { path: '/tra-cuu/:code', public: true, load: () => import('./features/public/PublicLookupRoute.svelte') },
  { path: '/thu-tuc', public: true, load: () => import('./features/public/PublicProceduresRoute.svelte') },
  // Plans and tasks.
  { path: '/plans', anyOf: ['read_plans', 'edit_plans'], load: () => import('./features/plans/PlanList.svelte') },
  { path: '/plans/:id', anyOf: ['read_plans', 'edit_plans'], load: () => import('./features/plans/PlanOverview.svelte') },
  { path: '/plans/:id/tasks', anyOf: ['read_plans', 'edit_plans'], load: () => import('./features/plans/TaskList.svelte') },
  { path: '/plans/:id/edit', anyOf: ['edit_plans'], load: () => import('./features/plans/PlanEditor.svelte') },
  { path: '/plans/:id/print', anyOf: ['read_plans', 'edit_plans'], load: () => import('./features/plans/PlanPrint.svelte') },
  { path: '/tasks', anyOf: ['read_plans', 'edit_plans'], load: () => import('./features/plans/TaskList.svelte') },
  { path: '/tasks/:id', anyOf: ['read_plans', 'edit_plans', 'report_tasks'], load: () => import('./features/plans/TaskDetail.svelte') },
  { path: '/my-tasks', anyOf: ['report_tasks'], load: () => myTasks(), warm: (user) => warmVillageTasks(user, myTasks) },
  // Writes made offline, waiting to be sent (lib/offline).
  { path: '/outbox', load: () => import('./features/offline/Outbox.svelte') },
  { path: '/admin/api-keys', anyOf: ['manage_api_keys'], load: () => import('./features/integration/ApiKeys.svelte') },
  { path: '/admin/feedback-categories', anyOf: ['manage_settings'], load: () => import('./features/integration/FeedbackCategories.svelte') },
  { path: '/admin/api-keys/:id/webhooks', anyOf: ['manage_api_keys'], load: () => import('./features/integration/Webhooks.svelte') },
  // Grassroots democracy: disclosures and village relays; the citizen page has its own entry too.
  { path: '/disclosures', anyOf: ['read_democracy'], load: () => import('./features/democracy/Disclosures.svelte') },
  { path: '/disclosures/new', anyOf: ['manage_disclosures'], load: () => import('./features/democracy/DisclosureNew.svelte') },
  { path: '/disclosures/:id', anyOf: ['read_democracy'], load: () => import('./features/democracy/Disclosure.svelte') },
  { path: '/dialogues', anyOf: ['read_democracy'], load: () => import('./features/democracy/Dialogues.svelte') },
  { path: '/dialogues/new', anyOf: ['manage_disclosures'], load: () => import('./features/democracy/DialogueNew.svelte') },
  { path: '/dialogues/:id', anyOf: ['read_democracy'], load: () => import('./features/democracy/Dialogue.svelte') },
  { path: '/activities', anyOf: ['read_democracy'], load: () => import('./features/democracy/Activities.svelte') },
  { path: '/activities/new', anyOf: ['manage_disclosures'], load: () => import('./features/democracy/ActivityForm.svelte') },
  { path: '/activities/:id', anyOf: ['read_democracy'], load: () => import('./features/democracy/ActivityForm.svelte') },
  { path: '/meetings', anyOf: ['read_democracy'], load: () => import('./features/democracy/Meetings.svelte') },
  { path: '/meetings/new', anyOf: ['manage_disclosures'], load: () => import('./features/democracy/MeetingNew.svelte') },
  { path: '/meetings/:id', anyOf: ['read_democracy'], load: () => import('./features/democracy/Meeting.svelte') },
  { path: '/community-boards', anyOf: ['read_democracy'], load: () => import('./features/democracy/Boards.svelte') },
  { path: '/cong-khai/:code', public: true, load: () => import('./features/public/PublicDisclosuresRoute.svelte') },
  // Satisfaction surveys: campaigns and their results.
  { path: '/surveys', ownCommune: true, anyOf: ['read_statistics'], load: () => import('./features/surveys/Surveys.svelte') },
  { path: '/surveys/:id', ownCommune: true, anyOf: ['read_statistics'], load: () => import('./features/surveys/SurveyResults.svelte') },
  // Petitions (đơn thư) and citizen reception; fixed paths before `:id`. A village head files a
  // villager's petition (`/petitions/new`, through the offline outbox) but reads no petition list.
  { path: '/petitions', anyOf: ['process_petitions'], load: () => import('./features/petitions/Petitions.svelte') },
  { path: '/petitions/new', anyOf: ['submit_petitions'], load: () => import('./features/petitions/PetitionNew.svelte') },
  { path: '/petitions/register', anyOf: ['process_petitions'], load: () => import('./features/petitions/PetitionRegister.svelte') },
  { path: '/petitions/:id', anyOf: ['process_petitions'], load: () => import('./features/petitions/Petition.svelte') },
  { path: '/petitions/:id/print/:doc', anyOf: ['process_petitions'], load: () => import('./features/petitions/PetitionPrint.svelte') },
  { path: '/reception', anyOf: ['handle_reception', 'process_petitions'], load: () => import('./features/petitions/Reception.svelte') },
  { path: '/reception/visits', anyOf: ['process_petitions'], load: () => import('./features/petitions/VisitRegister.svelte') },
  { path: '/reception/sessions/:id', anyOf: ['process_petitions'], load: () => import('./features/petitions/ReceptionSession.svelte') },
  // Surveys: forms and their versions, keyboard entry of paper forms, tallies, village capture (offline).
  { path: '/survey-forms', anyOf: ['run_surveys'], load: () => import('./features/surveys/Forms.svelte') },
  { path: '/surveys/:id/paper', anyOf: ['capture_survey_answers'], load: () => import('./features/surveys/PaperEntry.svelte') },
  { path: '/surveys/:id/tallies', anyOf: ['run_surveys'], load: () => import('./features/surveys/Tallies.svelte') },
  { path: '/surveys/:id/capture', anyOf: ['capture_survey_answers'], load: () => import('./features/surveys/Capture.svelte') },
  // Evaluation of the model and the official report (print view: A4).
  { path: '/evaluations', anyOf: ['read_evaluations'], load: () => import('./features/evaluation/Evaluations.svelte') },
  { path: '/evaluations/:id', anyOf: ['read_evaluations'], load: () => import('./features/evaluation/Evaluation.svelte') },
  { path: '/evaluations/:id/print', anyOf: ['read_evaluations'], load: () => import('./features/evaluation/EvaluationPrint.svelte') },
  { path: '/criteria-sets/:id/next', anyOf: ['evaluate'], load: () => import('./features/evaluation/CriteriaSetEditor.svelte') },
  // Notifications: the inbox, its preferences, and the background jobs (admin).
  { path: '/notifications', load: () => import('./features/notifications/Inbox.svelte') },
  { path: '/notifications/preferences', load: () => import('./features/notifications/Preferences.svelte') },
  { path: '/admin/scheduler', anyOf: ['manage_settings'], load: () => import('./features/notifications/Scheduler.svelte') },
];
