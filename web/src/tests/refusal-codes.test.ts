// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { en, vi } from '../i18n/all';

// Every code the server puts on a refused field (`v.add(field, code, …)`,
// `AppError::field(field, code, …)`, `FieldError::new(field, code, …)` in ../api/src) has words in both languages: `field.<code>`,
// or `field.<code>.<field>` for the one field that uses it. Without them a person reads the
// generic "Giá trị không hợp lệ." where the server said exactly what was wrong.
const api = resolve(__dirname, '../../../api/src');

function rustFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? rustFiles(path) : name.endsWith('.rs') ? [path] : [];
  });
}

/** The codes of field refusals in a Rust source: the string after the field argument. */
export function refusalCodes(source: string): string[] {
  const field = String.raw`(?:"[^"]*"|&?format!\((?:[^()]|\([^()]*\))*\)|&?[A-Za-z_][\w.]*(?:\([^()]*\))?)`;
  const call = new RegExp(String.raw`(?:\bv\.add|AppError::field|FieldError::new)\(\s*${field}\s*,\s*"([a-z_]+)"`, 'g');
  return [...source.matchAll(call)].map((m) => m[1]);
}

/** The codes of business-rule refusals (409) in a Rust source: `AppError::rule("code", …)`. */
export function ruleCodes(source: string): string[] {
  return [...source.matchAll(/AppError::rule\(\s*"([a-z_]+)"/g)].map((m) => m[1]);
}

describe('refusal codes', () => {
  it('reads the codes of the calls as the server writes them', () => {
    expect(
      refusalCodes(`
        v.add("ends_on", "before_start", "…");
        v.add(&format!("{f}.options[{j}].id"), "invalid_format", "…");
        v.add(
            &field,
            "exceeds_forms",
            "…",
        );
        v.add(&f("score"), "computed_criterion", "…");
        return Err(AppError::field("item_id", "inactive", "…"));
      `),
    ).toEqual(['before_start', 'invalid_format', 'exceeds_forms', 'computed_criterion', 'inactive']);
  });

  it.skipIf(!existsSync(api))('has words in Vietnamese and English for every code the server sends', () => {
    const codes = new Set(rustFiles(api).flatMap((f) => refusalCodes(readFileSync(f, 'utf8'))));
    expect(codes.size).toBeGreaterThan(30);
    for (const dict of [vi, en] as Record<string, string>[]) {
      const keys = Object.keys(dict);
      const missing = [...codes].filter((c) => !keys.some((k) => k === `field.${c}` || k.startsWith(`field.${c}.`)));
      expect(missing).toEqual([]);
    }
  });

  it.skipIf(!existsSync(api))('has words in Vietnamese and English for every rule the server refuses by', () => {
    expect(ruleCodes('return Err(AppError::rule(\n    "plan_closed",\n    "…"));')).toEqual(['plan_closed']);
    const codes = new Set(rustFiles(api).flatMap((f) => ruleCodes(readFileSync(f, 'utf8'))));
    expect(codes.size).toBeGreaterThan(40);
    for (const dict of [vi, en] as Record<string, string>[]) {
      expect([...codes].filter((c) => !(`error.${c}` in dict))).toEqual([]);
    }
  });
});
