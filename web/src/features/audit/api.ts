// The `audit` module: the audit log, read-only.
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';

export const listAudit = (query: Query = {}) => http.get('/audit', { query });
/** The actions, kinds of record and users the commune's log holds (the filters' choices). */
export const auditFacets = () => http.get('/audit/facets');
/** The commune's units (one page of the most the server gives), to name units in the summaries. */
export const auditUnits = () => http.get('/units', { query: { per_page: 200 } });
/** The commune's plans, to name a plan by its number in the summaries. */
export const auditPlans = () => http.get('/plans', { query: { per_page: 100 } });
