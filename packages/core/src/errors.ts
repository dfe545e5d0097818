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
}

/** A tensor's shape does not fit what an op or a call needs. */
export class ShapeError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_SHAPE', message);
  }
}

/** A tensor's dtype is not one an op or a call takes. */
export class DTypeError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_DTYPE', message);
  }
}

/** An op attribute is missing, unknown, of the wrong type or out of range. */
export class AttributeError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_ATTRIBUTE', message);
  }
}

/** A tensor was used on a device it does not live on. */
export class DeviceMismatchError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_DEVICE_MISMATCH', message);
  }
}

/** A tensor or a device was used after dispose()/close(). */
export class DisposedError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_DISPOSED', message);
  }
}

/** No op of that name is in the op set. */
export class UnknownOpError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_UNKNOWN_OP', message);
  }
}

/** The backend has no kernel for an op of the op set. */
export class UnsupportedOpError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_UNSUPPORTED_OP', message);
  }
}

/** A backend plugin was built against another plugin API version than this core speaks. */
export class BackendVersionError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_BACKEND_VERSION', message);
  }
}

/** A plugin object does not implement the BackendPlugin contract. */
export class InvalidBackendError extends OcellusError {
  constructor(message: string) {
    super('ERR_OCELLUS_INVALID_BACKEND', message);
  }
}

/** No backend or device matches a request; `skipped` says why each candidate was passed over. */
export class BackendUnavailableError extends OcellusError {
  readonly skipped: readonly { backend: string; reason: string }[];
  constructor(message: string, skipped: readonly { backend: string; reason: string }[] = []) {
    super('ERR_OCELLUS_BACKEND_UNAVAILABLE', message);
    this.skipped = skipped;
  }
}

/** An image file or buffer could not be read or decoded. */
export class ImageDecodeError extends OcellusError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OCELLUS_IMAGE_DECODE', message, options);
  }
}

/** An image could not be encoded or written. */
export class ImageEncodeError extends OcellusError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OCELLUS_IMAGE_ENCODE', message, options);
  }
}
