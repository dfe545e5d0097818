import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COCO_LABELS, formatNamesMetadata } from './coco.js';
import { NamesMetadataError, parseNamesMetadata } from './names-metadata.js';

const PYTHON = '/usr/bin/python3';
const missing =
  spawnSync(PYTHON, ['-c', 'pass'], { encoding: 'utf8' }).status === 0
    ? undefined
    : `python unavailable (${PYTHON} does not run)`;

/** Names with everything that breaks a naive parser: quotes of both kinds, commas, colons, braces, escapes, unicode. */
const TRICKY = [
  'person',
  "jack-o'-lantern",
  'say "cheese"',
  `both ' and "`,
  'a, b: c',
  '{not: a dict}',
  'back\\slash',
  'tab\there\nnewline',
  'café ☕',
  '',
  '  spaced  ',
];

describe('parseNamesMetadata', () => {
  it("reads Ultralytics' dict string and round-trips formatNamesMetadata on COCO", () => {
    expect(parseNamesMetadata("{0: 'person', 1: 'bicycle'}")).toEqual(['person', 'bicycle']);
    expect(parseNamesMetadata(formatNamesMetadata(COCO_LABELS))).toEqual([...COCO_LABELS]);
    expect(parseNamesMetadata(formatNamesMetadata(TRICKY))).toEqual(TRICKY);
  });

  it('reads JSON-ish variants: quoted keys, double quotes, lists, any key order, whitespace, trailing commas', () => {
    expect(parseNamesMetadata('{"0": "person", "1": "bicycle"}')).toEqual(['person', 'bicycle']);
    expect(parseNamesMetadata("{'1': 'b', '0': 'a'}")).toEqual(['a', 'b']);
    expect(parseNamesMetadata(' {\n  1: "b",\n  0: \'a\',\n}\n')).toEqual(['a', 'b']);
    expect(parseNamesMetadata("['a', \"b\", 'c',]")).toEqual(['a', 'b', 'c']);
    expect(parseNamesMetadata('{0: "it\'s", 1: \'say "hi"\', 2: "a, b", 3: "x\\u00e9\\x41\\101"}')).toEqual([
      "it's",
      'say "hi"',
      'a, b',
      'xéAA',
    ]);
    expect(parseNamesMetadata("{0: 'ab' 'cd'}")).toEqual(['abcd']);
    expect(parseNamesMetadata('{}')).toEqual([]);
  });

  it('throws NamesMetadataError, saying where, on garbage', () => {
    const bad = [
      ['', /expected '\{'.*at the end/],
      ['person, bicycle', /expected '\{' .* at character 0/],
      ["{0: 'person', 1: 'bicycle'", /expected ',' or '}' at the end/],
      ["{0: 'person' 1: 'bicycle'}", /expected ',' or '}' at character 13/],
      ["{0: 'person', 0: 'bicycle'}", /class index 0 appears twice/],
      ["{0: 'person', 2: 'car'}", /class indices must be 0\.\.1, but 1 is missing/],
      ["{-1: 'x'}", /a class index must be a non-negative integer, got "-1"/],
      ["{1.5: 'x'}", /non-negative integer, got "1.5"/],
      ["{person: 'x'}", /non-negative integer, got "person"/],
      ['{0: person}', /expected a quoted name/],
      ["{0: 'unterminated}", /unterminated string/],
      ["{0: 'a'} trailing", /unexpected text after the end/],
      ["{0: '\\xZZ'}", /bad \\x escape/],
      ['{0: 1}', /expected a quoted name/],
    ] as const;
    for (const [text, why] of bad) {
      let err: unknown;
      try {
        parseNamesMetadata(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(NamesMetadataError);
      expect((err as Error).message, text).toMatch(why);
      expect((err as NamesMetadataError).code).toBe('ERR_OCELLUS_NAMES_METADATA');
    }
    expect(() => parseNamesMetadata(42 as unknown as string)).toThrow(NamesMetadataError);
  });

  it.skipIf(missing)(
    `reads what Python's str(dict) writes for tricky names${missing ? ` [skipped: ${missing}]` : ''}`,
    () => {
      const code = 'import json, sys; print(str(dict(enumerate(json.load(sys.stdin)))))';
      const text = execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(TRICKY), encoding: 'utf8' }).trim();
      expect(parseNamesMetadata(text)).toEqual(TRICKY);
    },
  );
});
