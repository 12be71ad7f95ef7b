export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/tools/jest-esbuild-transform.mjs' },
  moduleNameMapper: {
    '^@eagerflow/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/benchmarks/test/**/*.test.ts', '<rootDir>/examples/test/**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
