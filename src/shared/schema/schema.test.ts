import { describe, expect, it } from 'vitest';
import { arr, bool, int, int32Array, json, literal, nullable, num, obj, opt, record, SchemaError, str, tagged, union, validate } from './schema.ts';

const messages = (schema: Parameters<typeof validate>[0], value: unknown): string[] => validate(schema, value).issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));

describe('the schema mechanism', () => {
  const person = obj({ name: str({ max: 5, nonBlank: true }), age: opt(int({ min: 0, max: 150 })), tags: arr(literal('a', 'b'), { max: 2, noun: 'tags' }) });

  it('returns a fresh, checked copy and drops absent optional fields', () => {
    const raw = { name: 'Ada', tags: ['a'], age: undefined };
    const out = person(raw);
    expect(out).toEqual({ name: 'Ada', tags: ['a'] });
    expect(out).not.toBe(raw);
    expect(Object.hasOwn(out, 'age')).toBe(false);
  });

  it('names every problem by its path and says what was expected', () => {
    expect(messages(person, { name: '  ', age: 151, tags: ['a', 'c'], extra: 1 })).toEqual([
      'extra: unknown field (allowed: name, age, tags)',
      'name: must not be empty',
      'age: must be a whole number from 0 to 150, not 151',
      'tags[1]: must be "a" or "b", not "c"',
    ]);
    expect(messages(person, [])).toEqual(['must be an object, not an array']);
    expect(messages(person, {})).toEqual(['name: is required', 'tags: is required']);
  });

  it('throws SchemaError with the first problem when called, under the given root path', () => {
    expect(() => person({ name: 7, tags: [] }, 'call')).toThrow(new SchemaError([{ path: 'call.name', message: 'must be a string, not 7' }]));
  });

  it('checks a cap before the work it bounds', () => {
    let visited = 0;
    const counted = arr(
      str().refine(() => {
        visited++;
      }),
      { max: 3, noun: 'lines' },
    );
    expect(messages(counted, ['a', 'b', 'c', 'd'])).toEqual(['has 4 lines; at most 3']);
    expect(visited).toBe(0);
    expect(messages(str({ max: 3 }), 'abcd')).toEqual(['must be at most 3 characters (it has 4)']);
  });

  it('stops after maxIssues problems', () => {
    const many = Array.from({ length: 1000 }, () => 7);
    expect(validate(arr(str()), many, { maxIssues: 5 }).issues).toHaveLength(5);
    expect(validate(arr(str()), many).issues).toHaveLength(200);
  });

  it('treats __proto__ and odd keys as plain data, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a b": 1}') as unknown;
    const out = json()(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'a b']);
    expect(messages(obj({}), parsed)).toEqual(['__proto__: unknown field (none are allowed here)', '["a b"]: unknown field (none are allowed here)']);
  });

  it('runs refinements on what passed, with the raw input and a context', () => {
    const pair = obj({ from: int(), to: int() }).refine((p, report, context, raw) => {
      if (p.from !== undefined && p.to !== undefined && p.from > p.to) report(`must not be after to (${String(context)})`, 'from');
      if (Object.keys(raw as object).length > 2) report('unreachable: unknown keys are reported first');
    });
    expect(validate(pair, { from: 3, to: 1 }, { context: 'ctx' }).issues).toEqual([{ path: 'from', message: 'must not be after to (ctx)' }]);
    // `to` is invalid, so the rule sees only `from` and stays quiet
    expect(messages(pair, { from: 3, to: 'x' })).toEqual(['to: must be a whole number, not "x"']);
  });

  it('unique arrays, records, unions, nullable, tagged objects and binary data', () => {
    expect(messages(arr(str(), { unique: true }), ['a', 'b', 'a'])).toEqual(['[2]: "a" is listed twice']);
    expect(messages(arr(str(), { min: 2, noun: 'outputs' }), ['a'])).toEqual(['must be an array of at least 2 outputs; it has 1']);
    const cells = record(num(), { key: { pattern: /^\d+$/, message: 'cell indices are whole numbers' } });
    expect(messages(cells, { 0: 1, x: 2, 3: 'y' })).toEqual(['["3"]: must be a number, not "y"', 'x: cell indices are whole numbers']);
    const countOrLabels = union([int({ min: 0 }), arr(str())], 'a count or labels');
    expect(countOrLabels(['a'])).toEqual(['a']);
    expect(messages(countOrLabels, -1)).toEqual(['must be a count or labels, not -1']);
    expect(nullable(str())(null)).toBeNull();
    const message = tagged<{ type: string }>('type', { ping: obj({ n: int() }), stop: obj({}) }, 'message');
    expect(message({ type: 'ping', n: 1 }, 'msg')).toEqual({ type: 'ping', n: 1 });
    expect(() => message({ type: 'pong' }, 'msg')).toThrow('msg.type: unknown message "pong"');
    expect(() => message({ type: 'ping', n: 'x' }, 'msg')).toThrow('ping.n: must be a whole number, not "x"');
    expect(messages(int32Array(2), new Int32Array(3))).toEqual(['must hold at most 2 ints (it has 3)']);
    expect(messages(int32Array(), [1, 2])).toEqual(['must be an Int32Array, not an array']);
    expect(messages(bool, 'yes')).toEqual(['must be true or false, not "yes"']);
    expect(messages(str({ what: 'a frame name' }), 3)).toEqual(['must be a frame name, not 3']);
    expect(messages(num({ gt: 0 }), 0)).toEqual(['must be a number > 0, not 0']);
    expect(messages(num({ gt: 0, max: 250 }), 251)).toEqual(['must be a number > 0 and ≤ 250, not 251']);
  });

  it('drops unknown keys instead of refusing them where a file is read leniently', () => {
    expect(obj({ a: int() }, { unknownKeys: 'drop' })({ a: 1, notes: 'x' })).toEqual({ a: 1 });
  });

  it('describes itself as JSON Schema (draft 2020-12 keywords)', () => {
    expect(person.describe('someone').toJsonSchema()).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'tags'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 5, pattern: '\\S' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 2 },
      },
      description: 'someone',
    });
    expect(union([int(), arr(str(), { unique: true })], 'x').toJsonSchema()).toEqual({ oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'string', maxLength: 10_000 }, maxItems: 100_000, uniqueItems: true }] });
    expect(nullable(literal('x')).toJsonSchema()).toEqual({ anyOf: [{ const: 'x' }, { type: 'null' }] });
    expect(record(num(), { key: { pattern: /^\d+$/, message: '' } }).toJsonSchema()).toEqual({ type: 'object', patternProperties: { '^\\d+$': { type: 'number' } }, additionalProperties: false, maxProperties: 10_000 });
    expect(str().refine(() => {}, { pattern: '^x' }).meta({ examples: ['x'] }).toJsonSchema()).toEqual({ type: 'string', maxLength: 10_000, pattern: '^x', examples: ['x'] });
  });
});
