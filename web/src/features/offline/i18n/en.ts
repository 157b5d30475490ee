import type { Translation } from '../../../i18n/types';
import type { vi } from './vi';

/** English messages of the outbox page: exactly the keys of ./vi.ts. */
export const en: Translation<typeof vi> = {
  'outbox.title': 'Not sent',
  'outbox.intro': 'What you do without a network is kept on this phone and sent when the network returns. Nothing is deleted unless you delete it.',
  'outbox.empty': 'Everything has reached the server.',
  'outbox.created': 'Saved at {time}',
  'outbox.attempts': 'Tried {count} time{count|s}',
  'outbox.next': 'Next automatic try at {time}',
  'outbox.waiting': 'Waiting for a network',
  'outbox.refused': 'The server refused it: {error}',
  'outbox.last_error': 'Last try: {error}',
  'outbox.photos': '{count} attached file{count|s}',
  'outbox.resend': 'Send again',
  'outbox.resend_all': 'Send all',
  'outbox.delete': 'Delete',
  'outbox.delete_confirm': 'Delete “{label}”? It has not been sent and will be lost.',
  'outbox.sent_one': 'Sent.',
  'outbox.sent_count': '{count} item{count|s} sent.',
  'outbox.still_failing': 'Could not send: {error}',
  'outbox.syncing': 'Sending…',
  'outbox.persist_granted': 'The browser agreed to keep this data permanently.',
  'outbox.no_answer': 'Could not reach the server.',
  'outbox.signed_out': 'The session has ended: sign in again to send.',
  'outbox.busy': 'The server is busy; it will be sent again later.',
  'outbox.server_trouble': 'The server has a problem (code {status}); it will be sent again.',
  'outbox.others': 'This phone holds {count} unsent item{count|s} of another account. Only the person who made them can see and send them, by signing in on this phone.',
};
