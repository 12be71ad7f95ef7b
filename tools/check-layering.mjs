// Layering rule from docs: core never imports a backend, data or io; backends import only core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const rules = {
  'packages/core/src': ['@eagerflow/'],
  'packages/cpu-backend/src': ['@eagerflow/webgpu-backend', '@eagerflow/data', '@eagerflow/io'],
  'packages/webgpu-backend/src': ['@eagerflow/cpu-backend', '@eagerflow/data', '@eagerflow/io'],
  'packages/data/src': ['@eagerflow/cpu-backend', '@eagerflow/webgpu-backend'],
  'packages/io/src': ['@eagerflow/cpu-backend', '@eagerflow/webgpu-backend'],
};
const files = (dir) => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
});
let bad = 0;
for (const [dir, banned] of Object.entries(rules)) {
  for (const file of files(dir)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\b[^;]*?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2];
      if (banned.some((b) => spec.startsWith(b))) {
        console.error(`layering: ${file} imports ${spec}`);
        bad++;
      }
    }
  }
}
if (bad) process.exit(1);
console.log('layering: ok');
