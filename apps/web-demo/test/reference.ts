import { canny, gaussianBlur, grayscale, letterbox, openDevice, readImage } from '@ocellus/core';

export interface ReferencePixels {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/**
 * The demo's three steps computed by core's CPU reference in Node, from the file decoded by core
 * (sharp). Written out here, not taken from the page's pipeline, so the test checks the page's parameters too.
 */
export async function cpuReference(
  file: string,
): Promise<Record<'input' | 'gray' | 'edges' | 'letterbox', ReferencePixels>> {
  const cpu = await openDevice('cpu', { discover: false });
  try {
    const input = await readImage(cpu, file);
    const gray = grayscale(input);
    const edges = canny(gaussianBlur(gray, { ksize: 5 }), { low: 50, high: 150 });
    const boxed = letterbox(input, { width: 640, height: 640 }).image;
    const read = async (t: typeof input): Promise<ReferencePixels> => ({
      shape: t.shape,
      data: (await t.data()) as Uint8Array,
    });
    return { input: await read(input), gray: await read(gray), edges: await read(edges), letterbox: await read(boxed) };
  } finally {
    await cpu.close();
  }
}
