import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PIXELS, ImageDecodeError, InputLimitError, decodeImage, readBounded } from '../index.js';

const IMAGES = resolve(__dirname, '../../../../../shared/images');
const dir = mkdtempSync(join(tmpdir(), 'ocellus-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A small PNG whose header declares width x height (its few rows of data are all it holds). */
function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = deflateSync(Buffer.alloc((width * 3 + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('bounded input', () => {
  it('refuses a device such as /dev/zero at once, naming it', async () => {
    await expect(readBounded('/dev/zero', { maxBytes: 1 << 20, what: 'model file' })).rejects.toThrow(
      "model file '/dev/zero' is a character device, not a file: give the path of a regular file",
    );
    await expect(decodeImage('/dev/zero')).rejects.toThrow(InputLimitError);
  });

  it('checks a regular file by its size before reading it', async () => {
    const path = join(dir, 'big.bin');
    writeFileSync(path, new Uint8Array(3000));
    await expect(readBounded(path, { maxBytes: 2048, what: 'image', raise: 'pass maxBytes' })).rejects.toThrow(
      `image '${path}' is 2.9 KiB, over the limit of 2.0 KiB: pass maxBytes`,
    );
    expect((await readBounded(path, { maxBytes: 3000, what: 'image' })).length).toBe(3000);
  });

  it('reads a pipe up to the limit and stops there', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `exec head -c 3000000 /dev/zero > ${fifo}`], { stdio: 'ignore' });
    const ended = new Promise((done) => writer.on('exit', done));
    await expect(readBounded(fifo, { maxBytes: 1 << 20, what: 'image' })).rejects.toThrow(
      /image '.*pipe' is more than 1\.0 MiB, over the limit of 1\.0 MiB/,
    );
    writer.kill();
    await ended; // its end of the pipe closed before the next writer opens it
    const small = spawn('sh', ['-c', `printf abc > ${fifo}`], { stdio: 'ignore' });
    expect(Array.from(await readBounded(fifo, { maxBytes: 1 << 20, what: 'image' }))).toEqual([97, 98, 99]);
    small.kill();
  });

  it('refuses an image whose header declares more pixels than the limit, before decoding it', async () => {
    const path = join(dir, 'bomb.png');
    const png = bombPng(16000, 16000);
    expect(png.length).toBeLessThan(100_000);
    writeFileSync(path, png);
    expect(DEFAULT_MAX_PIXELS).toBe(100_000_000);
    const rss = process.memoryUsage().rss;
    await expect(decodeImage(path)).rejects.toThrow(
      `image '${path}' is 16000x16000 (256.0 Mpx), over the limit of 100.0 Mpx: pass maxPixels (CLI: ` +
        '--max-pixels) to raise it',
    );
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    // the limit is settable; a real photo under it decodes
    await expect(decodeImage(join(IMAGES, 'grace_hopper.jpg'), { maxPixels: 100_000 })).rejects.toThrow(
      InputLimitError,
    );
    const ok = await decodeImage(join(IMAGES, 'grace_hopper.jpg'), { maxPixels: 600 * 512 });
    expect([ok.width, ok.height]).toEqual([512, 600]);
  });

  it('refuses an unknown decode mode instead of returning RGB', async () => {
    const path = join(IMAGES, 'grace_hopper.jpg');
    await expect(decodeImage(path, { mode: 'bgr' as never })).rejects.toThrow(ImageDecodeError);
    await expect(decodeImage(path, { mode: 'bgr' as never })).rejects.toThrow(/unknown decode mode 'bgr'/);
  });
});

describe('EXIF orientation', () => {
  it("'apply' turns the pixels upright as OpenCV does; 'ignore' keeps them as stored, as PIL does", async () => {
    const { default: sharp } = await import('sharp');
    const path = join(dir, 'rotated.jpg');
    // the same stored pixels, tagged "rotate 90 degrees clockwise to display"
    await sharp(join(IMAGES, 'grace_hopper.jpg')).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(path);
    const applied = await decodeImage(path);
    const ignored = await decodeImage(path, { orientation: 'ignore' });
    expect([applied.width, applied.height]).toEqual([600, 512]);
    expect([ignored.width, ignored.height]).toEqual([512, 600]);
    const py = (code: string) => execFileSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' }).trim();
    expect(py(`from PIL import Image; print(*Image.open(${JSON.stringify(path)}).size)`)).toBe('512 600');
    expect(py(`import cv2; print(*cv2.imread(${JSON.stringify(path)}).shape[:2])`)).toBe('512 600');
    await expect(decodeImage(path, { orientation: 'sideways' as never })).rejects.toThrow(/orientation must be/);
  });
});

describe('decode errors say what is wrong', () => {
  it('a PNG signature followed by garbage: a corrupt header, in words', async () => {
    const path = join(dir, 'bad.png');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('GARBAGE')]),
    );
    await expect(decodeImage(path)).rejects.toThrow(
      `cannot decode image '${path}': its header is not a valid JPEG, PNG or WebP header (a corrupt or ` +
        'mislabelled file)',
    );
  });
});

describe('embedded colour profiles', () => {
  it('are ignored, as OpenCV ignores them: the stored values of a Display P3 PNG, byte for byte', async () => {
    const { default: sharp } = await import('sharp');
    const path = join(dir, 'p3.png');
    await sharp(join(IMAGES, 'skimage_coffee.png')).withIccProfile('p3').png().toFile(path);
    expect((await sharp(path).metadata()).icc).toBeDefined();
    const ours = await decodeImage(path);
    const code =
      `import cv2, sys; sys.stdout.buffer.write(cv2.cvtColor(cv2.imread(${JSON.stringify(path)}), ` +
      'cv2.COLOR_BGR2RGB).tobytes())';
    const theirs = execFileSync('/usr/bin/python3', ['-c', code], { maxBuffer: 64 << 20 });
    expect(ours.data.length).toBe(theirs.length);
    expect(Buffer.from(ours.data).equals(theirs)).toBe(true);
  });
});
