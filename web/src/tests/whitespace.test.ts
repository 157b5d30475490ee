import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'svelte/compiler';

// Svelte 5 drops the white space at the start of an element's content: `label<span> (x)</span>`
// renders "label(x)", and a hidden `<span class="visually-hidden"> name</span>` glues the name to
// the button's word in what a screen reader says. Such a space is written `{' '}`.
function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return name.endsWith('.svelte') ? [path] : [];
  });
}

// An inline element whose first character is a space followed by text on the same line.
const LEADING_SPACE = /<(span|a|strong|em|small|b)\b(?:[^>"'{]|"[^"]*"|'[^']*'|\{[^}]*\})*> [^\s<]/g;

describe('white space Svelte would drop', () => {
  it('the compiler does drop a leading space inside an element (the premise of this test)', () => {
    const js = compile('<label>{a}<span> ({b})</span></label>', { generate: 'client' }).js.code;
    expect(js).toContain('`(${');
    const kept = compile(`<label>{a}<span>{' '}({b})</span></label>`, { generate: 'client' }).js.code;
    expect(kept).toContain('` (${');
  });

  it('no component starts an inline element with a space', () => {
    const found: string[] = [];
    for (const file of svelteFiles(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(LEADING_SPACE)) found.push(`${file}: ${m[0].slice(-40)}`);
    }
    expect(found).toEqual([]);
  });
});
