// The village head's task list, which is also their home page: the one read of the plans module
// that the app shell may start before the page's code has arrived (lib/api/early.ts).
import { http } from '../../lib/api';
import { buildQuery, type Query } from '../../lib/api/client';
import { startEarly, takeEarly } from '../../lib/api/early';

/** Tasks per page of the list. */
export const MY_TASKS_PER_PAGE = 30;

const FIRST_PAGE: Query = { page: 1, per_page: MY_TASKS_PER_PAGE };

const key = (userId: number, query: Query) => `tasks/mine:${userId}${buildQuery(query)}`;
const read = (query: Query) => http.get('/tasks/mine', { query });

/** One page of the caller's tasks; the first page may already be under way. */
export const myTasks = (userId: number, query: Query = {}) => takeEarly(key(userId, query), () => read(query));

/** Asks for the first unfiltered page now, for the list about to be drawn. */
export function prefetchMyTasks(userId: number): void {
  startEarly(key(userId, FIRST_PAGE), () => read(FIRST_PAGE));
}
