#!/usr/bin/env node
/**
 * Bundles the browser demo (main.ts → dist/main.js) with esbuild.
 *
 * - The @eagerflow packages are bundled from their TypeScript sources (packages/<name>/src), so the
 *   demo never depends on a stale `tsc -b` output.
 * - `webgpu` (Dawn's Node addon) is external: browsers use navigator.gpu, and the backend imports
 *   the addon only in Node, through a variable specifier.
 * - The build fails if any Node built-in module ends up statically imported in the bundle: every
 *   Node-only path in the packages must be lazy (process.getBuiltinModule or a dynamic import).
 *
 * Usage: node browser/build.mjs [--minify]      (from examples/: npm run demo:build)
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PACKAGES = ['core', 'cpu-backend', 'webgpu-backend', 'data', 'io'];

export const DIST = join(HERE, 'dist');

/** Builds dist/main.js (+ map); returns the bundle's path, size and the inputs' count. */
export async function buildDemo({ outdir = DIST, minify = false, logLevel = 'warning' } = {}) {
  const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const offenders = [];
  const result = await build({
    entryPoints: [join(HERE, 'main.ts')],
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome113', 'safari17'],
    sourcemap: true,
    minify,
    metafile: true,
    logLevel,
    external: ['webgpu'],
    alias: Object.fromEntries(PACKAGES.map((p) => [`@eagerflow/${p}`, join(ROOT, 'packages', p, 'src', 'index.ts')])),
    plugins: [
      {
        // A static import of a Node built-in would break the page; report it with its importer.
        name: 'no-node-builtins',
        setup(b) {
          b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
            if (!nodeBuiltins.has(args.path)) return undefined;
            offenders.push(`${args.path} (imported by ${args.importer.replace(`${ROOT}/`, '')})`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  if (offenders.length) throw new Error(`the browser bundle imports Node built-ins statically: ${offenders.join(', ')}; make those imports lazy`);
  const out = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('main.js'));
  return { file: join(outdir, 'main.js'), bytes: out ? out[1].bytes : 0, inputs: Object.keys(result.metafile.inputs).length };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const t0 = performance.now();
  buildDemo({ minify: process.argv.includes('--minify') })
    .then((r) => console.log(`demo bundle: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB from ${r.inputs} files) in ${((performance.now() - t0) / 1000).toFixed(1)} s`))
    .catch((e) => {
      console.error(`demo build failed: ${e.message}`);
      process.exit(1);
    });
}
