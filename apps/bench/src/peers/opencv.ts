import type { OpCall, Peer } from '../cases.js';
import type { BenchImage } from '../image.js';

/** The few parts of opencv.js this benchmark uses (its own typings pull in a large type package). */
interface Mat {
  readonly data: Uint8Array;
  delete(): void;
}
interface OpenCv {
  calledRun?: boolean;
  onRuntimeInitialized?: () => void;
  Mat: { new (): Mat; new (rows: number, cols: number, type: number): Mat };
  Size: new (width: number, height: number) => object;
  CV_8UC1: number;
  CV_8UC3: number;
  COLOR_RGB2GRAY: number;
  INTER_LINEAR: number;
  BORDER_DEFAULT: number;
  cvtColor(src: Mat, dst: Mat, code: number): void;
  resize(src: Mat, dst: Mat, size: object, fx: number, fy: number, interpolation: number): void;
  GaussianBlur(src: Mat, dst: Mat, size: object, sigmaX: number, sigmaY: number, border: number): void;
  Canny(src: Mat, dst: Mat, low: number, high: number, aperture: number, l2: boolean): void;
}

const INIT_TIMEOUT_MS = 60_000;

/**
 * Loads opencv.js (an Emscripten build with the WebAssembly inlined) and waits for its runtime.
 * The module object is a *thenable* whose then() hands back the module itself, so `await cv` or
 * returning it from an async function never settles: it is wrapped in an object, and readiness is
 * taken from `calledRun` / `onRuntimeInitialized`. Loaded with require(): a dynamic import would copy
 * that then() onto the namespace object and hit the same trap.
 */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  const cv = require('@techstark/opencv-js') as OpenCv;
  return new Promise((resolve, reject) => {
    if (cv.calledRun) return resolve({ cv });
    const timer = setTimeout(
      () => reject(new Error(`opencv.js did not initialise within ${INIT_TIMEOUT_MS / 1000} s`)),
      INIT_TIMEOUT_MS,
    );
    const previous = cv.onRuntimeInitialized;
    cv.onRuntimeInitialized = () => {
      previous?.();
      clearTimeout(timer);
      resolve({ cv });
    };
  });
}

/**
 * opencv.js 4.5.2 (OpenCV 4.5.1 compiled to WebAssembly: one thread, no SIMD). Every Mat, the Sizes
 * included, is made once outside the timed calls; each op writes into its own preallocated output,
 * which is how OpenCV code is written.
 */
export async function openCvPeer(img: BenchImage): Promise<Peer> {
  const { cv } = await loadOpenCv();
  const { version } = require('@techstark/opencv-js/package.json') as { version: string };
  const mats: Mat[] = [];
  const mat = (rows = 0, cols = 0, type = 0, data?: Uint8Array): Mat => {
    const m = rows ? new cv.Mat(rows, cols, type) : new cv.Mat();
    if (data) m.data.set(data);
    mats.push(m);
    return m;
  };
  const rgb = mat(img.height, img.width, cv.CV_8UC3, img.rgb);
  const gray = mat(img.height, img.width, cv.CV_8UC1, img.gray);
  const [grayOut, small, square, blurred, edges] = [mat(), mat(), mat(), mat(), mat()];
  const size960 = new cv.Size(960, 540);
  const size640 = new cv.Size(640, 640);
  const kernel5 = new cv.Size(5, 5);
  const ops: Record<string, OpCall> = {
    gray: () => cv.cvtColor(rgb, grayOut!, cv.COLOR_RGB2GRAY),
    'resize-960x540': () => cv.resize(rgb, small!, size960, 0, 0, cv.INTER_LINEAR),
    'resize-640x640': () => cv.resize(rgb, square!, size640, 0, 0, cv.INTER_LINEAR),
    'blur-5x5': () => cv.GaussianBlur(rgb, blurred!, kernel5, 0, 0, cv.BORDER_DEFAULT),
    canny: () => cv.Canny(gray, edges!, 50, 150, 3, false),
  };
  return {
    name: 'opencv.js',
    version: `@techstark/opencv-js ${version} (WebAssembly, 1 thread, no SIMD)`,
    ops: ops as Peer['ops'],
    notes: ['opencv.js: the same semantics as Ocellus; outputs preallocated once and reused'],
    close: () => {
      for (const m of mats) m.delete();
    },
  };
}
