import { existsSync } from 'node:fs';

// WebGPU tests need a real adapter: without a GPU, SwiftShader (Debian's chromium package).
// Set here because Dawn reads the variable from the real process environment (test files only
// see a copy); workers inherit it. EF_WEBGPU_NATIVE=1 keeps the machine's own Vulkan driver.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.EF_WEBGPU_NATIVE && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

export default {
  testEnvironment: '<rootDir>/tools/jest-environment.mjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/tools/jest-esbuild-transform.mjs' },
  moduleNameMapper: {
    '^@eagerflow/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/benchmarks/test/**/*.test.ts', '<rootDir>/examples/test/**/*.test.ts', '<rootDir>/tools/test/**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
