import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Device, ImageDecodeError, decodeImage, openDevice } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageInput } from '../types.js';
import { ImageInputError, toImageTensor } from './image-input.js';

const IMAGES = resolve(__dirname, '../../../../../shared/images');
const PHOTO = join(IMAGES, 'skimage_chelsea.png');

describe('toImageTensor', () => {
  let device: Device;
  let other: Device;
  let rgb: Uint8Array;
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
    other = await openDevice('cpu', { discover: false });
    rgb = (await decodeImage(PHOTO)).data;
  });
  afterAll(async () => {
    await device?.close();
    await other?.close();
  });

  it('reads a path and decodes bytes to the same uint8 [H, W, 3] pixels, owned by the caller', async () => {
    const fromPath = await toImageTensor(device, PHOTO);
    const fromBytes = await toImageTensor(device, new Uint8Array(readFileSync(PHOTO)));
    for (const r of [fromPath, fromBytes]) {
      expect(r.owned).toBe(true);
      expect(r.tensor.shape).toEqual([300, 451, 3]);
      expect(r.tensor.dtype).toBe('uint8');
      expect(r.tensor.device).toBe(device.id);
      expect(Buffer.from((await r.tensor.data()) as Uint8Array).equals(Buffer.from(rgb))).toBe(true);
      r.tensor.dispose();
    }
    expect(fromPath.name).toBe(PHOTO);
    expect(fromBytes.name).toBe('<bytes>');
  });

  it('uploads decoded pixels; drops alpha (copy) and expands grey to R = G = B', async () => {
    const pixels = { data: rgb, width: 451, height: 300, channels: 3 };
    const up = await toImageTensor(device, pixels);
    expect(up).toMatchObject({ owned: true, name: '<pixels>' });
    up.tensor.dispose();

    const rgba = { data: new Uint8Array([10, 20, 30, 0, 40, 50, 60, 255]), width: 2, height: 1, channels: 4 };
    const a = await toImageTensor(device, rgba);
    expect(a.tensor.shape).toEqual([1, 2, 3]);
    expect(Array.from((await a.tensor.data()) as Uint8Array)).toEqual([10, 20, 30, 40, 50, 60]);
    a.tensor.dispose();

    const grey = { data: new Uint8Array([7, 200]), width: 1, height: 2, channels: 1 };
    const g = await toImageTensor(device, grey);
    expect(g.tensor.shape).toEqual([2, 1, 3]);
    expect(Array.from((await g.tensor.data()) as Uint8Array)).toEqual([7, 7, 7, 200, 200, 200]);
    g.tensor.dispose();

    const greyAlpha = { data: new Uint8Array([9, 0, 99, 255]), width: 2, height: 1, channels: 2 };
    const ga = await toImageTensor(device, greyAlpha);
    expect(Array.from((await ga.tensor.data()) as Uint8Array)).toEqual([9, 9, 9, 99, 99, 99]);
    ga.tensor.dispose();
  });

  const deviceTensorTitle =
    'uses a tensor on the device as it is (not owned), copies one from another device or with other channels';
  it(deviceTensorTitle, async () => {
    using own = device.tensor(rgb, [300, 451, 3], 'uint8');
    const same = await toImageTensor(device, own);
    expect(same).toEqual({ tensor: own, owned: false, name: '<tensor>' });

    using foreign = other.tensor(rgb, [300, 451, 3], 'uint8');
    const adopted = await toImageTensor(device, foreign);
    expect(adopted.owned).toBe(true);
    expect(adopted.tensor.device).toBe(device.id);
    expect(adopted.tensor).not.toBe(foreign);
    adopted.tensor.dispose();

    using rgbaTensor = other.tensor(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), [1, 2, 4], 'uint8');
    const dropped = await toImageTensor(device, rgbaTensor);
    expect(dropped.tensor.device).toBe(device.id);
    expect(Array.from((await dropped.tensor.data()) as Uint8Array)).toEqual([1, 2, 3, 5, 6, 7]);
    dropped.tensor.dispose();

    using greyTensor = device.tensor(new Uint8Array([5, 6]), [2, 1, 1], 'uint8');
    const expanded = await toImageTensor(device, greyTensor);
    expect(expanded.owned).toBe(true);
    expect(Array.from((await expanded.tensor.data()) as Uint8Array)).toEqual([5, 5, 5, 6, 6, 6]);
    expanded.tensor.dispose();
  });

  it('refuses what is not an image, naming what it got', async () => {
    using floats = device.tensor(new Float32Array(12), [2, 2, 3], 'float32');
    await expect(toImageTensor(device, floats)).rejects.toThrow(
      /must be a uint8 \[H, W, C\] tensor, got float32\[2,2,3\]/,
    );
    using flat = device.tensor(new Uint8Array(12), [12], 'uint8');
    await expect(toImageTensor(device, flat)).rejects.toBeInstanceOf(ImageInputError);
    using five = device.tensor(new Uint8Array(10), [1, 2, 5], 'uint8');
    await expect(toImageTensor(device, five)).rejects.toThrow(/has 5 channels/);
    await expect(toImageTensor(device, { data: new Uint8Array(5), width: 2, height: 1, channels: 3 })).rejects.toThrow(
      /5 bytes of pixels do not fill 2x1x3/,
    );
    await expect(toImageTensor(device, 42 as unknown as ImageInput)).rejects.toThrow(/got number/);
    await expect(toImageTensor(device, new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(toImageTensor(device, join(IMAGES, 'no-such.jpg'))).rejects.toThrow(/no such file/);
    expect(device.liveTensors).toBe(3);
  });
});
