import { packageTestConfig } from '../../vitest.shared.js';
import { swiftShaderEnv } from './src/swiftshader.js';

// Tests run on SwiftShader (Debian's chromium-common) where it is installed. Only the tests get this
// environment: the library never sets VK_ADD_DRIVER_FILES (it would change what the Vulkan backend sees).
export default packageTestConfig({ env: swiftShaderEnv() });
