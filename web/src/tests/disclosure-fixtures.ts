// A notice as the server answers it (the list's row and the notice's page both read it), for
// Thôn 1 (unit 11) to relay, shared by the tests of reading notices offline.
import type { Disclosure } from '../features/democracy/types';

export function notice(id: number, postedFrom = '2020-06-01'): Disclosure {
  return {
    id,
    title: `Kế hoạch sử dụng đất ${id}`,
    item_id: 1,
    item_code: 'D11-05',
    item_name: 'Kế hoạch sử dụng đất',
    status: 'current',
    channels: ['village_meeting'],
    for_comment: false,
    posted_from: postedFrom,
    posted_to: '2030-12-31',
    villages_relayed: 0,
    villages_total: 1,
    warnings: [],
    content: '',
    created_at: '2020-06-01T00:00:00Z',
    updated_at: '2020-06-01T00:00:00Z',
    documents: [],
    evidence: [],
    evidence_note: '',
    responsible_name: '',
    villages: [{ unit_id: 11, unit_name: 'Thôn 1', due_on: '2030-12-31', overdue: false, relay: null }],
  } as Disclosure;
}
