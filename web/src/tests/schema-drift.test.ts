// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

// The API types must follow the server's openapi.yaml; this fails when `npm run gen:api` is due.
const yaml = resolve(__dirname, '../../../openapi.yaml');
const schema = resolve(__dirname, '../lib/api/schema.d.ts');

const body = (s: string) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();

describe('generated API types', () => {
  it.skipIf(!existsSync(yaml))('schema.d.ts matches ../openapi.yaml (run `npm run gen:api`)', async () => {
    // The options of `gen:api` in package.json: each schema also exported by its own name.
    const ast = await openapiTS(readFileSync(yaml, 'utf8'), { rootTypes: true, rootTypesNoSchemaPrefix: true });
    expect(body(readFileSync(schema, 'utf8'))).toBe(body(astToString(ast)));
  }, 30_000);
});
