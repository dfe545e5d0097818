/**
 * @ocellus/core: tensors, devices and the backend plugin registry, the op set with its CPU reference
 * backend, and image I/O. Importing it registers the CPU reference backend (the embedded default).
 */
export * from './portable.js';
export {
  backendStatuses,
  discoverBackends,
  OFFICIAL_BACKENDS,
  type BackendPackageField,
  type BackendStatus,
  type DiscoveryReport,
} from './backend/discover.js';
export * from './image/index.js';
export {
  OutputPathError,
  checkOutputPath,
  removePendingTempFiles,
  reserveTempFile,
  type TempFile,
  writeFileAtomic,
} from './io/atomic-write.js';
export { readBounded, formatBytes, type ReadBoundedOptions } from './io/read-bounded.js';
