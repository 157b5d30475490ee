import type { Translation } from '../../../i18n/types';
import type { vi } from './vi';

/** English messages of the audit log: exactly the keys of ./vi.ts. */
export const en: Translation<typeof vi> = {
  'audit.title': 'Audit log',
  'audit.intro': 'Every change to the data is recorded and cannot be edited.',
  'audit.action': 'Action',
  'audit.entity': 'Entity',
  'audit.user_id': 'User id',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.at': 'Time',
  'audit.user': 'By',
  'audit.summary': 'Summary',
  'audit.ip': 'IP address',
  'audit.seq': 'No.',
  'audit.empty': 'No matching entries.',
  'audit.filter_by_user': 'Filter by this user',
};
