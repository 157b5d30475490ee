import { describe, expect, it } from 'vitest';
import { vi } from '../features/audit/i18n/vi';
import { en } from '../features/audit/i18n/en';
import { vi as shellVi } from '../i18n/vi';
import { en as shellEn } from '../i18n/en';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, AUDIT_FIELDS, AUDIT_VALUES } from './audit-inventory';

// Every code the server can record (./audit-inventory.ts says how the list was gathered) has a
// name on the audit page, in Vietnamese and in English.
const missing = (dict: Record<string, string>, keys: string[]) => keys.filter((k) => !dict[k]?.trim());
const VI: Record<string, string> = { ...shellVi, ...vi };
const EN: Record<string, string> = { ...shellEn, ...en };
const valueKey = (vocab: string, code: string) => (vocab === 'role' ? `role.${code}` : `audit.val.${vocab}.${code}`);

describe('the audit dictionary covers what the server records', () => {
  const cases: [string, string[]][] = [
    ['actions', AUDIT_ACTIONS.map((c) => `audit.act.${c}`)],
    ['kinds of record', AUDIT_ENTITIES.map((c) => `audit.ent.${c}`)],
    ['fields', AUDIT_FIELDS.map((c) => `audit.key.${c}`)],
    ['values', Object.entries(AUDIT_VALUES).flatMap(([vocab, codes]) => codes.map((c) => valueKey(vocab, c)))],
  ];
  for (const [what, keys] of cases) {
    it(`names every ${what} in Vietnamese and English`, () => {
      expect(missing(VI, keys)).toEqual([]);
      expect(missing(EN, keys)).toEqual([]);
    });
  }

  it('has no action or record kind whose English is still Vietnamese, or the other way round', () => {
    const keys = [...AUDIT_ACTIONS.map((c) => `audit.act.${c}`), ...AUDIT_ENTITIES.map((c) => `audit.ent.${c}`)];
    const viLetters = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
    // "Tết" is a name, in English too.
    expect(keys.filter((k) => viLetters.test(EN[k].replace(/Tết/g, '')))).toEqual([]);
    expect(keys.filter((k) => VI[k] === EN[k] && !/^(Open311|Webhook)/.test(VI[k]))).toEqual([]);
  });
});
