// Bundles the benchmark runner and every src/*_bench.ts suite into dist/ with esbuild:
// TensorFlow.js's ESM dist has extensionless imports that Node's loader refuses unbundled, and
// @eagerflow/* resolve to the packages' TypeScript sources (no prior `tsc -b` needed).
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', 'packages');
const src = join(here, 'src');
const entryPoints = [join(src, 'bench.ts'), ...readdirSync(src).filter((f) => f.endsWith('_bench.ts')).map((f) => join(src, f))];

const eagerflowSources = {
  name: 'eagerflow-sources',
  setup(b) {
    b.onResolve({ filter: /^@eagerflow\/[a-z-]+$/ }, (args) => {
      const pkg = args.path.slice('@eagerflow/'.length);
      const index = join(packages, pkg, 'src', 'index.ts');
      if (existsSync(index)) return { path: index };
      // A package still being written: fail when (and only when) a run imports it.
      return { path: args.path, namespace: 'missing-package' };
    });
    b.onLoad({ filter: /.*/, namespace: 'missing-package' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} has no src/index.ts yet`)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints,
  outdir: join(here, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  mainFields: ['module', 'main'], // tfjs's ESM dist (its sideEffects list names those files)
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['webgpu'], // Dawn's native addon
  // CommonJS parts of tfjs call require(); set it globally (not as a top-level const) so that
  // ../shared/device/make-kit.sh can re-bundle dist/bench.mjs with its own require banner.
  banner: { js: "import { createRequire as __efRequire } from 'module'; globalThis.require ??= __efRequire(import.meta.url);" },
  plugins: [eagerflowSources],
  logLevel: 'warning',
});
