// The `audit` module: the audit log, read-only.
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';

export const listAudit = (query: Query = {}) => http.get('/audit', { query });
