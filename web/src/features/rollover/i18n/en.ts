import type { Translation } from '../../../i18n/types';
import type { vi } from './vi';

/** English messages of the plan roll-over: exactly the keys of ./vi.ts. */
export const en: Translation<typeof vi> = {
  'rollover.button': "Make next year's plan",
  'rollover.title': 'Make the {year} plan from this one',
  'rollover.intro': "Copies the content areas, steps and tasks (units, weights) into a new draft; dates move on by a year, onto working days. Progress and reports stay with the old plan, which is closed and becomes read-only.",
  'rollover.year': "The new plan's year",
  'rollover.year_after': 'The new plan’s year must come after {year} (up to 2100).',
  'rollover.carry': 'Carry over unfinished tasks',
  'rollover.carry_hint': "The tasks you pick say that they continue last year's task and link to it.",
  'rollover.none_open': 'Every task is finished.',
  'rollover.select_all': 'Select all',
  'rollover.submit': 'Create the {year} draft',
  'rollover.cancel': 'Cancel',
  'rollover.done': 'The {year} draft plan was created.',
  'rollover.rolled_into': 'This plan was rolled over to the next year — read-only.',
  'rollover.open_next': "Open next year's plan",
  'rollover.rolled_from': "Made from last year's plan.",
  'rollover.open_previous': "See last year's plan",
  'rollover.progress': '{progress}%',
  'field.not_in_plan': 'The task is not part of this plan.',
  'field.task_finished': 'Only unfinished tasks can be carried over.',
  'error.plan_already_rolled_over': 'This plan was already rolled over into the next year.',
};
