// The `audit` module: the audit log, read-only.
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';

export const listAudit = (query: Query = {}) => http.get('/audit', { query });
/** The actions, kinds of record and users the commune's log holds (the filters' choices). */
export const auditFacets = () => http.get('/audit/facets');
