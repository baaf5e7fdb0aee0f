// Writes docs/proctor.schema.json from the stack file's zod schema (run after changing the schema;
// a test fails while the committed file differs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { stackJsonSchema } from '../electron/core/programs/schema';

const SCHEMA_FILE = join(import.meta.dirname, '..', 'docs', 'proctor.schema.json');

const options = await resolveConfig(SCHEMA_FILE);
writeFileSync(SCHEMA_FILE, await format(JSON.stringify(stackJsonSchema()), { ...options, parser: 'json' }));
console.log(`wrote ${SCHEMA_FILE}`);
