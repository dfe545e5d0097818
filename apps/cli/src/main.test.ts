import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { liveTensorCounts } from '@ocellus/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pkg from '../package.json';
import { IMAGES, cleanTempDirs, run, tempDir } from './test-io.js';

afterAll(cleanTempDirs);
// Every command closes its device, on success and on failure alike.
afterEach(() => expect(liveTensorCounts()).toEqual({}));

describe('help and version', () => {
  it.each([[['--help']], [['-h']], [['nonsense', '--help']]])('%j prints the whole usage, exit 0', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ocellus <command>/);
    expect(r.stderr).toBe('');
  });

  it.each([
    [['edges', 'x.jpg', '-h'], 'edges', ['--low <n>', '--backend <spec>'], ['--top <k>', '--det-model']],
    [['gray', '--nonsense', '--help'], 'gray', ['--backend <spec>', '-o, --output'], ['--low <n>']],
    [['detect', '--help'], 'detect', ['--conf <p>', '--classes <list>'], ['--low <n>', '--no-cls']],
  ])("%j prints that command's help, exit 0", async (argv, command, has, hasNot) => {
    const r = await run(...argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: ocellus ${command} `));
    for (const h of has) expect(r.stdout).toContain(h);
    for (const h of hasNot) expect(r.stdout).not.toContain(h);
    expect(r.stderr).toBe('');
  });

  it('-o --help is a missing file name, not a request for help (exit 2, nothing written)', async () => {
    const r = await run('gray', 'x.jpg', '-o', '--help');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ocellus: gray: -o needs a file name, got '--help'/);
  });

  it('--version prints the package version', async () => {
    const r = await run('--version');
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('bad arguments exit 2 with a one-line error and the usage on stderr', () => {
  const img = join(IMAGES, 'dog.jpg');
  it.each([
    [[], /^ocellus: missing command$/],
    [['frobnicate'], /^ocellus: unknown command 'frobnicate'$/],
    [['--json'], /^ocellus: expected a command before '--json'$/],
    [['devices', '--frob'], /^ocellus: devices: Unknown option '--frob'$/],
    [['devices', 'extra'], /^ocellus: devices: unexpected argument 'extra'$/],
    [['gray', '-o', 'out.png'], /^ocellus: gray: missing <image>$/],
    [['gray', img], /^ocellus: gray: missing -o <out.png>$/],
    [['gray', img, 'second.jpg', '-o', 'out.png'], /^ocellus: gray: unexpected argument 'second.jpg'$/],
    [['gray', img, '-o', 'out.png', '--json'], /^ocellus: gray: Unknown option '--json'$/],
    [['edges', img, '-o', 'out.png', '--low', 'abc'], /^ocellus: edges: --low must be a number, got 'abc'$/],
    [['edges', img, '-o', 'out.png', '--high=-1'], /^ocellus: edges: --high must be at least 0/],
    [['edges', img, '-o', 'out.png', '--blur', '4'], /^ocellus: edges: --blur must be 0 or an odd kernel size/],
    [['edges', img, '-o', 'out.png', '--blur', '2.5'], /^ocellus: edges: --blur must be an integer/],
    [['edges', img, '-o', 'out.png', '--backend', 'Not A Spec'], /^ocellus: edges: invalid --backend 'Not A Spec'/],
    [['gray', img, '-o', 'out.png', '--backend', 'nosuchbackend'], /^ocellus: unknown backend 'nosuchbackend'/],
    [['gray', img, '-o', 'out.png', '--backend', 'nosuchbackend:0,cpu'], /^ocellus: unknown backend 'nosuchbackend'/],
    [['demo', img, 'extra'], /^ocellus: demo: unexpected argument 'extra'$/],
    [
      ['edges', img, '-o', 'out.png', '--low', '-5'],
      /^ocellus: edges: --low needs a value, and what follows it starts/,
    ],
    [['edges', img, '-o', 'out.png', '--low=-5'], /^ocellus: edges: --low must be at least 0, got -5$/],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.split('\n');
    expect(first).toMatch(message);
    // then that command's help (the whole usage when there is no known command)
    const known = ['gray', 'edges', 'demo', 'classify', 'detect', 'ocr', 'stream', 'export', 'devices', 'doctor'];
    const command = argv[0] !== undefined && known.includes(argv[0]) ? argv[0] : '<command>';
    expect(rest.join('\n')).toContain(`Usage: ocellus ${command} `);
  });

  it('checks the output format before touching the input (a missing input still exits 2)', async () => {
    const dir = await tempDir();
    const r = await run('gray', join(dir, 'missing.jpg'), '-o', join(dir, 'out.txt'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ocellus: gray: cannot tell the image format of '.*out\.txt'/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('unreadable images exit 1 naming the file, with no output left behind', () => {
  async function badInputs(): Promise<{ dir: string; files: Record<string, string> }> {
    const dir = await tempDir();
    const jpeg = await import('node:fs/promises').then((fs) => fs.readFile(join(IMAGES, 'dog.jpg')));
    const files = {
      missing: join(dir, 'missing.jpg'),
      empty: join(dir, 'empty.jpg'),
      truncated: join(dir, 'truncated.jpg'),
      text: join(dir, 'notes.png'),
    };
    await writeFile(files.empty, '');
    await writeFile(files.truncated, jpeg.subarray(0, Math.floor(jpeg.length / 3)));
    await writeFile(files.text, 'this is not an image\n');
    return { dir, files };
  }

  for (const command of ['gray', 'edges']) {
    for (const kind of ['missing', 'empty', 'truncated', 'text'] as const) {
      it(`${command} with a ${kind} file`, async () => {
        const { dir, files } = await badInputs();
        const before = (await readdir(dir)).sort();
        const r = await run(command, files[kind], '-o', join(dir, 'out.png'), '--backend', 'cpu');
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`'${files[kind]}'`);
        expect(r.stderr).toMatch(/^ocellus: cannot (read|decode) image|^ocellus: image .* is empty/);
        expect(r.stderr).not.toContain('Usage:');
        expect(r.stdout).toBe('');
        // Neither the output nor writeImage's temp file exists.
        expect((await readdir(dir)).sort()).toEqual(before);
      });
    }
  }

  it('demo with a text file', async () => {
    const { dir, files } = await badInputs();
    const r = await run('demo', files.text, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`'${files.text}'`);
    expect((await readdir(dir)).some((f) => f.includes('.gray.') || f.includes('.edges.'))).toBe(false);
  });
});

describe('other failures exit 1', () => {
  it('an unavailable device is core BackendUnavailableError', async () => {
    const dir = await tempDir();
    const r = await run('gray', join(IMAGES, 'dog.jpg'), '-o', join(dir, 'out.png'), '--backend', 'cpu:7');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ocellus: no backend available for 'cpu:7':\n {2}cpu:7: has no device 7/);
    expect(r.stderr).not.toContain('Usage:');
    expect(await readdir(dir)).toEqual([]);
  });

  it('an output directory that does not exist', async () => {
    const dir = await tempDir();
    const r = await run(
      'gray',
      join(IMAGES, 'dog.jpg'),
      '-o',
      join(dir, 'no', 'such', 'dir', 'out.png'),
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ocellus: cannot write image '.*out\.png'/);
  });
});
