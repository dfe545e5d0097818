/**
 * Every error Ocellus throws on purpose is an OcellusError with a stable `code`, so callers can
 * branch on it and tests can assert on it. Messages name the thing that is wrong and say what to do.
 */
export class OcellusError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** The code every instance of this class carries ('' for the base class: any ERR_OCELLUS_ code). */
  static readonly CODE: string = '';

  // `instanceof` by code, so errors thrown by a second copy of core (ESM and CJS builds loaded side by
  // side, e.g. by a CommonJS backend package) still match the classes a caller imported.
  static override [Symbol.hasInstance](value: unknown): boolean {
    const code = (value as { code?: unknown } | null)?.code;
    if (!(value instanceof Error) || typeof code !== 'string' || !code.startsWith('ERR_OCELLUS_')) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` was called on
    return this.CODE === '' || code === this.CODE;
  }
}

/**
 * An OcellusError subclass with a fixed code, for errors that carry a message and an optional cause
 * (most do): `export const QueueFullError = errorClass('QueueFullError', 'ERR_OCELLUS_QUEUE_FULL')`,
 * with `export type QueueFullError = InstanceType<typeof QueueFullError>` beside it. `instanceof`
 * matches by code, like every OcellusError.
 */
export function errorClass(name: string, code: string) {
  const ErrorClass = class extends OcellusError {
    static override readonly CODE: string = code;
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };
  // the class's name is what `error.name` and stack traces show (OcellusError takes new.target.name)
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}

/** A tensor's shape does not fit what an op or a call needs. */
export const ShapeError = errorClass('ShapeError', 'ERR_OCELLUS_SHAPE');
export type ShapeError = InstanceType<typeof ShapeError>;

/** A tensor's dtype is not one an op or a call takes. */
export const DTypeError = errorClass('DTypeError', 'ERR_OCELLUS_DTYPE');
export type DTypeError = InstanceType<typeof DTypeError>;

/** An op attribute is missing, unknown, of the wrong type or out of range. */
export const AttributeError = errorClass('AttributeError', 'ERR_OCELLUS_ATTRIBUTE');
export type AttributeError = InstanceType<typeof AttributeError>;

/** A tensor was used on a device it does not live on. */
export const DeviceMismatchError = errorClass('DeviceMismatchError', 'ERR_OCELLUS_DEVICE_MISMATCH');
export type DeviceMismatchError = InstanceType<typeof DeviceMismatchError>;

/** A tensor or a device was used after dispose()/close(). */
export const DisposedError = errorClass('DisposedError', 'ERR_OCELLUS_DISPOSED');
export type DisposedError = InstanceType<typeof DisposedError>;

/** No op of that name is in the op set. */
export const UnknownOpError = errorClass('UnknownOpError', 'ERR_OCELLUS_UNKNOWN_OP');
export type UnknownOpError = InstanceType<typeof UnknownOpError>;

/** The backend has no kernel for an op of the op set. */
export const UnsupportedOpError = errorClass('UnsupportedOpError', 'ERR_OCELLUS_UNSUPPORTED_OP');
export type UnsupportedOpError = InstanceType<typeof UnsupportedOpError>;

/** A backend plugin was built against another plugin API version than this core speaks. */
export const BackendVersionError = errorClass('BackendVersionError', 'ERR_OCELLUS_BACKEND_VERSION');
export type BackendVersionError = InstanceType<typeof BackendVersionError>;

/** A backend of that name is registered already (pass `replace: true` to replace it on purpose). */
export const BackendExistsError = errorClass('BackendExistsError', 'ERR_OCELLUS_BACKEND_EXISTS');
export type BackendExistsError = InstanceType<typeof BackendExistsError>;

/** A plugin object does not implement the BackendPlugin contract. */
export const InvalidBackendError = errorClass('InvalidBackendError', 'ERR_OCELLUS_INVALID_BACKEND');
export type InvalidBackendError = InstanceType<typeof InvalidBackendError>;

/** No backend or device matches a request; `skipped` says why each candidate was passed over. */
export class BackendUnavailableError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_BACKEND_UNAVAILABLE';
  readonly skipped: readonly { backend: string; reason: string }[];
  constructor(message: string, skipped: readonly { backend: string; reason: string }[] = []) {
    super(BackendUnavailableError.CODE, message);
    this.skipped = skipped;
  }
}

/** An image file or buffer could not be read or decoded. */
export const ImageDecodeError = errorClass('ImageDecodeError', 'ERR_OCELLUS_IMAGE_DECODE');
export type ImageDecodeError = InstanceType<typeof ImageDecodeError>;

/** An input is over a limit that keeps memory bounded (file size, pixel count), or is not a file at all. */
export const InputLimitError = errorClass('InputLimitError', 'ERR_OCELLUS_INPUT_LIMIT');
export type InputLimitError = InstanceType<typeof InputLimitError>;

/** An image could not be encoded or written. */
export const ImageEncodeError = errorClass('ImageEncodeError', 'ERR_OCELLUS_IMAGE_ENCODE');
export type ImageEncodeError = InstanceType<typeof ImageEncodeError>;
