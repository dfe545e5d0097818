import { packageTestConfig } from '../../vitest.shared.js';

// Every test file gets VK_LAYER_KHRONOS_validation (when installed) and asserts zero errors at its end.
export default packageTestConfig({ env: { OCELLUS_VULKAN_VALIDATION: '1' } });
