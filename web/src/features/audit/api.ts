// The `audit` module: the audit log, read-only.
import { api } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import type { AuditEntry, Page } from '../../lib/api/types';

export const listAudit = (query: Query = {}) => api.get<Page<AuditEntry>>('/audit', { query });
