/**
 * What `npm run gen:schemas` writes, computed from the one description of lesson.json (lesson-schema.ts):
 * lessons/lesson.schema.json (for editors, through each lesson's "$schema") and the field table in
 * lessons/README.md. Pure, so a test can compare the checked-in files with what this produces.
 */
import type { JsonSchema } from '../schema/schema.ts';
import { lessonSchema } from './lesson-schema.ts';

export const LESSON_SCHEMA_FILE = 'lessons/lesson.schema.json';
export const LESSON_README_FILE = 'lessons/README.md';
export const FIELDS_BEGIN = '<!-- lesson-fields:begin — generated from src/shared/lesson/lesson-schema.ts by `npm run gen:schemas`; do not edit -->';
export const FIELDS_END = '<!-- lesson-fields:end -->';

export function lessonJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://loopscope.dev/schemas/lesson.schema.json',
    title: 'Loopscope lesson (lesson.json)',
    description:
      'Metadata of one Loopscope lesson folder. Generated from src/shared/lesson/lesson-schema.ts, which validateLesson runs; it also checks what this schema cannot: listed files exist, the entry is files[0], checkpoint names and markers are unique, checkpoint console lines and order-quiz lines are printed in every accepted output (quiz lines in printed order), the id equals the folder name, markers exist in the code.',
    ...lessonSchema.toJsonSchema(),
  };
}

/** The file's text: two-space JSON and a final newline. */
export function lessonJsonSchemaText(): string {
  return `${JSON.stringify(lessonJsonSchema(), null, 2)}\n`;
}

type Node = Record<string, unknown>;
const code = (s: string): string => `\`${s.replace(/\|/g, '\\|')}\``;

function typeOf(n: Node): string {
  if (Array.isArray(n['enum'])) return (n['enum'] as unknown[]).map((v) => code(JSON.stringify(v))).join(' \\| ');
  if ('const' in n) return code(JSON.stringify(n['const']));
  if (Array.isArray(n['oneOf']) && !n['type']) return (n['oneOf'] as Node[]).map(typeOf).join(' or ');
  if (n['type'] === 'array') return `array of ${typeOf((n['items'] as Node | undefined) ?? {})}`;
  if (n['type'] === 'object' && n['patternProperties']) return `object: ${code(Object.keys(n['patternProperties'] as Node)[0]!)} → ${typeOf(Object.values(n['patternProperties'] as Node)[0] as Node)}`;
  if (typeof n['type'] === 'string') return n['type'] as string;
  return 'any';
}

function limitsOf(n: Node): string {
  const out: string[] = [];
  const range = (lo: unknown, hi: unknown, unit: string): void => {
    if (typeof lo === 'number' && typeof hi === 'number') out.push(`${lo}–${hi}${unit}`);
    else if (typeof lo === 'number') out.push(`≥ ${lo}${unit}`);
    else if (typeof hi === 'number') out.push(`≤ ${hi}${unit}`);
  };
  if (n['type'] === 'string') range(n['minLength'], n['maxLength'], ' chars');
  if (n['type'] === 'integer' || n['type'] === 'number') range(n['minimum'], n['maximum'], '');
  if (n['type'] === 'array') {
    range(n['minItems'], n['maxItems'], ' items');
    if (n['uniqueItems']) out.push('unique');
    const items = (n['items'] as Node | undefined) ?? {};
    if (items['type'] === 'string') range(items['minLength'], items['maxLength'], ' chars each');
    if (items['type'] === 'integer') range(items['minimum'], items['maximum'], ' each');
    if (typeof items['pattern'] === 'string' && items['pattern'] !== '\\S') out.push(`each matches ${code(items['pattern'])}`);
  }
  if (typeof n['pattern'] === 'string' && n['pattern'] !== '\\S') out.push(`matches ${code(n['pattern'])}`);
  if (n['not'] && typeof n['not'] === 'object' && Array.isArray((n['not'] as Node)['enum'])) out.push(`not ${((n['not'] as Node)['enum'] as string[]).map((v) => code(v)).join(', ')}`);
  return out.join('; ');
}

/** One row per field, nested fields by their path (`checkpoints[].expect.stack`). */
function rows(n: Node, path: string, required: boolean, out: string[]): void {
  if (path && !path.endsWith('[]')) out.push(`| ${code(path)} | ${required ? 'yes' : ''} | ${typeOf(n)} | ${limitsOf(n)} | ${String(n['description'] ?? '').replace(/\|/g, '\\|')} |`);
  const props = n['properties'] as Record<string, Node> | undefined;
  if (n['type'] === 'object' && props) {
    const req = new Set((n['required'] as string[] | undefined) ?? []);
    for (const [k, child] of Object.entries(props)) rows(child, path ? `${path}.${k}` : k, req.has(k), out);
  }
  const items = n['items'] as Node | undefined;
  if (n['type'] === 'array' && items?.['type'] === 'object') rows(items, `${path}[]`, false, out);
}

/** The Markdown block between FIELDS_BEGIN and FIELDS_END in lessons/README.md. */
export function lessonFieldTable(): string {
  const out = [FIELDS_BEGIN, '', '| field | required | type | limits | meaning |', '|---|---|---|---|---|'];
  rows(lessonSchema.toJsonSchema() as Node, '', true, out);
  out.push('', FIELDS_END);
  return out.join('\n');
}

/** `readme` with its generated block replaced by the current table (throws when the markers are missing). */
export function withFieldTable(readme: string): string {
  const begin = readme.indexOf(FIELDS_BEGIN);
  const end = readme.indexOf(FIELDS_END);
  if (begin < 0 || end < begin) throw new Error(`${LESSON_README_FILE} has no generated field table (the lines ${FIELDS_BEGIN} … ${FIELDS_END})`);
  return `${readme.slice(0, begin)}${lessonFieldTable()}${readme.slice(end + FIELDS_END.length)}`;
}
