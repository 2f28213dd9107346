/**
 * Writes what is generated from the one description of lesson.json (src/shared/lesson/lesson-schema.ts):
 * lessons/lesson.schema.json and the field table in lessons/README.md. `--check` writes nothing and exits 1 when
 * a checked-in file differs (src/services/lessons/lesson-schema-file.test.ts checks the same in `npm test`).
 *
 *   node scripts/gen-schemas.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LESSON_README_FILE, LESSON_SCHEMA_FILE, lessonJsonSchemaText, withFieldTable } from '../src/shared/lesson/lesson-json-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const outputs: [string, (old: string) => string][] = [
  [LESSON_SCHEMA_FILE, () => lessonJsonSchemaText()],
  [LESSON_README_FILE, (old) => withFieldTable(old)],
];
let stale = 0;
for (const [file, make] of outputs) {
  const path = join(root, file);
  const old = readFileSync(path, 'utf8');
  const next = make(old);
  if (next === old) continue;
  stale++;
  if (check) console.error(`${file} is out of date: run npm run gen:schemas`);
  else {
    writeFileSync(path, next);
    console.log(`wrote ${file}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
