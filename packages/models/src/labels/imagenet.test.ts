import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IMAGENET_LABELS } from './imagenet.js';

const PYTHON = '/usr/bin/python3';
const missing =
  spawnSync(PYTHON, ['-c', "import importlib.util; assert importlib.util.find_spec('torchvision')"], {
    encoding: 'utf8',
  }).status === 0
    ? undefined
    : `torchvision unavailable (${PYTHON} cannot import torchvision): apt-get install python3-torchvision`;

describe('IMAGENET_LABELS', () => {
  it('has the 1000 distinct torchvision names in class order', () => {
    expect(IMAGENET_LABELS).toHaveLength(1000);
    expect(new Set(IMAGENET_LABELS).size).toBe(1000);
    expect(IMAGENET_LABELS[0]).toBe('tench');
    expect(IMAGENET_LABELS[652]).toBe('military uniform'); // grace_hopper.jpg's class
    expect(IMAGENET_LABELS[999]).toBe('toilet tissue');
    expect(Object.isFrozen(IMAGENET_LABELS)).toBe(true);
  });

  const categoriesTitle =
    `equals torchvision's _IMAGENET_CATEGORIES (regenerate with scripts/gen_imagenet_labels.py)` +
    `${missing ? ` [skipped: ${missing}]` : ''}`;
  it.skipIf(missing)(categoriesTitle, () => {
    // Read torchvision's list from its source without importing torch (slow to start).
    const code = [
      'import ast, importlib.util, json, os',
      "path = os.path.join(os.path.dirname(importlib.util.find_spec('torchvision').origin), 'models', '_meta.py')",
      'tree = ast.parse(open(path, encoding="utf-8").read())',
      "node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], 'id', '') " +
        "== '_IMAGENET_CATEGORIES')",
      'print(json.dumps(ast.literal_eval(node.value)))',
    ].join('\n');
    expect(JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' }))).toEqual([...IMAGENET_LABELS]);
  });
});
