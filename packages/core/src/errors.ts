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

/** A tensor's shape does not fit what an op or a call needs. */
export class ShapeError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_SHAPE';
  constructor(message: string) {
    super(ShapeError.CODE, message);
  }
}

/** A tensor's dtype is not one an op or a call takes. */
export class DTypeError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_DTYPE';
  constructor(message: string) {
    super(DTypeError.CODE, message);
  }
}

/** An op attribute is missing, unknown, of the wrong type or out of range. */
export class AttributeError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_ATTRIBUTE';
  constructor(message: string) {
    super(AttributeError.CODE, message);
  }
}

/** A tensor was used on a device it does not live on. */
export class DeviceMismatchError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_DEVICE_MISMATCH';
  constructor(message: string) {
    super(DeviceMismatchError.CODE, message);
  }
}

/** A tensor or a device was used after dispose()/close(). */
export class DisposedError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_DISPOSED';
  constructor(message: string) {
    super(DisposedError.CODE, message);
  }
}

/** No op of that name is in the op set. */
export class UnknownOpError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_UNKNOWN_OP';
  constructor(message: string) {
    super(UnknownOpError.CODE, message);
  }
}

/** The backend has no kernel for an op of the op set. */
export class UnsupportedOpError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_UNSUPPORTED_OP';
  constructor(message: string) {
    super(UnsupportedOpError.CODE, message);
  }
}

/** A backend plugin was built against another plugin API version than this core speaks. */
export class BackendVersionError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_BACKEND_VERSION';
  constructor(message: string) {
    super(BackendVersionError.CODE, message);
  }
}

/** A backend of that name is registered already (pass `replace: true` to replace it on purpose). */
export class BackendExistsError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_BACKEND_EXISTS';
  constructor(message: string) {
    super(BackendExistsError.CODE, message);
  }
}

/** A plugin object does not implement the BackendPlugin contract. */
export class InvalidBackendError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_INVALID_BACKEND';
  constructor(message: string) {
    super(InvalidBackendError.CODE, message);
  }
}

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
export class ImageDecodeError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_IMAGE_DECODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ImageDecodeError.CODE, message, options);
  }
}

/** An input is over a limit that keeps memory bounded (file size, pixel count), or is not a file at all. */
export class InputLimitError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_INPUT_LIMIT';
  constructor(message: string) {
    super(InputLimitError.CODE, message);
  }
}

/** An image could not be encoded or written. */
export class ImageEncodeError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_IMAGE_ENCODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ImageEncodeError.CODE, message, options);
  }
}
