// Jest transformer: TypeScript -> ESM with esbuild (type checking is `npm run lint`'s job).
import { transformSync } from 'esbuild';

export default {
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: path.endsWith('.ts') ? 'ts' : 'js',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: path,
      supported: { using: false },
    });
    return { code, map };
  },
};
