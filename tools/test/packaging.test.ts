// The published packages as a user gets them: `npm pack` of every public workspace (from a fresh
// `tsc -b`), the tarballs' contents checked, then extracted into a throwaway project in the OS temp
// directory (node_modules/@eagerflow/<pkg> are the tarballs' files, not links into the repo; the
// third-party dependencies they declare are linked from the repo's node_modules, so no network is
// needed). docs/install.md's tsconfig.json and main.ts are that project's: main.ts is type-checked
// with NodeNext and with Bundler resolution (strict, declarations checked), then run by plain node.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { writeFileBlocks } from './doc_snippets.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');

interface Manifest {
  name: string;
  private?: boolean;
  main?: string;
  types?: string;
  exports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface Packed {
  dir: string; // the workspace, e.g. packages/core
  manifest: Manifest;
  root: string; // the extracted tarball: <consumer>/node_modules/<name>
  files: string[]; // paths in the tarball, relative to root
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const run = (cmd: string, args: string[], options: SpawnSyncOptions = {}): string => {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout as string;
};
/** Like run, without blocking the event loop (so two type-checks share the cores). */
const runAsync = (cmd: string, args: string[], cwd: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
const walk = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
/** '@scope/name/sub' → '@scope/name', 'name/sub' → 'name'. */
const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/**
 * Module specifiers a .js / .d.ts file loads: import/export … from, import() and require() of a
 * literal or of a `const name = '…'` (how webgpu-backend loads Dawn without bundlers following it),
 * import('…') types and, in declarations, `/// <reference types|path>`.
 */
function specifiers(file: string, code: string): string[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest);
  const out = file.endsWith('.d.ts') ? [...sf.referencedFiles, ...sf.typeReferenceDirectives].map((r) => r.fileName) : [];
  const constants = new Map<string, string>(), loaded: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) out.push(n.argument.literal.text);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteralLike(n.initializer)) constants.set(n.name.text, n.initializer.text);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
      else if (arg && ts.isIdentifier(arg)) loaded.push(arg.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...out, ...loaded.flatMap((name) => constants.get(name) ?? [])];
}
const isRelative = (spec: string) => spec.startsWith('./') || spec.startsWith('../');

/** Collects `what` per package with the files concerned; listed with a few examples each. */
class Problems {
  private readonly found = new Map<string, string[]>();
  add(dir: string, what: string, file: string): void {
    const key = `${dir}: ${what}`;
    this.found.set(key, [...(this.found.get(key) ?? []), file]);
  }
  list(): string[] {
    return [...this.found].map(([key, files]) => `${key}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`);
  }
}

const consumer = mkdtempSync(join(tmpdir(), 'ef-consumer-'));
const packed: Packed[] = [];

beforeAll(() => {
  const workspaces = readJson<{ workspaces: string[] }>(join(ROOT, 'package.json')).workspaces
    .filter((dir) => !readJson<Manifest>(join(ROOT, dir, 'package.json')).private);
  // Test what the sources build to now (a no-op when `npm test`'s lint step has just built).
  run(TSC, ['-b', ...workspaces]);
  const tarballs = join(consumer, 'tarballs');
  mkdirSync(tarballs);
  const report = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs, ...workspaces.flatMap((w) => ['-w', w])], {
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_offline: 'true' },
  })) as { name: string; filename: string }[];
  for (const dir of workspaces) {
    const manifest = readJson<Manifest>(join(ROOT, dir, 'package.json'));
    const root = join(consumer, 'node_modules', manifest.name);
    mkdirSync(root, { recursive: true });
    run('tar', ['-xzf', join(tarballs, report.find((r) => r.name === manifest.name)!.filename), '-C', root, '--strip-components=1']);
    packed.push({ dir, manifest, root, files: walk(root) });
  }
  // Third-party dependencies (and the user's @types/node), linked from the repo's install.
  const thirdParty = new Set(['@types/node']);
  for (const { manifest } of packed) {
    for (const deps of [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]) {
      for (const name of Object.keys(deps ?? {})) if (!name.startsWith('@eagerflow/')) thirdParty.add(name);
    }
  }
  for (const name of thirdParty) {
    const installed = join(ROOT, 'node_modules', name);
    if (!existsSync(installed)) throw new Error(`${name} is not installed at ${installed} (npm ci)`);
    mkdirSync(dirname(join(consumer, 'node_modules', name)), { recursive: true });
    symlinkSync(installed, join(consumer, 'node_modules', name), 'dir');
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const doc = readFileSync(join(ROOT, 'docs/install.md'), 'utf8');
  expect([...writeFileBlocks(doc, consumer, 'jsonc'), ...writeFileBlocks(doc, consumer, 'ts')]).toEqual(['tsconfig.json', 'main.ts']);
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the tarballs', () => {
  test('are the five public packages', () => {
    expect(packed.map((p) => p.manifest.name).sort()).toEqual(
      ['@eagerflow/core', '@eagerflow/cpu-backend', '@eagerflow/data', '@eagerflow/io', '@eagerflow/webgpu-backend']);
  });

  test('hold every file main/types/exports reach, and nothing else from the repo', () => {
    const problems = new Problems();
    for (const { dir, manifest, root, files } of packed) {
      const has = new Set(files);
      const entries = [manifest.main, manifest.types, ...Object.values(manifest.exports ?? {}).flatMap((c) => Object.values(c))];
      if (Object.values(manifest.exports ?? {}).some((c) => Object.keys(c)[0] !== 'types')) problems.add(dir, '"types" must be the first condition', 'package.json');
      // Follow relative imports from the entry points: .js to .js, .d.ts to .d.ts (written `./x.js`).
      const todo = entries.map((e) => posix.normalize(e ?? '(missing)'));
      for (const seen = new Set<string>(); todo.length;) {
        const file = todo.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        if (!has.has(file)) {
          problems.add(dir, 'reached from the entry points but not in the tarball', file);
          continue;
        }
        const dts = file.endsWith('.d.ts');
        for (const spec of specifiers(file, readFileSync(join(root, file), 'utf8')).filter(isRelative)) {
          if (!/\.js$/.test(spec)) problems.add(dir, 'relative import without .js (NodeNext needs it)', `${file} → ${spec}`);
          else todo.push(posix.join(posix.dirname(file), dts ? spec.replace(/\.js$/, '.d.ts') : spec));
        }
      }
      for (const file of files) {
        if (file === 'package.json' || /^(README|LICENSE)/i.test(file)) continue;
        if (!file.startsWith('dist/') || /\.tsbuildinfo$|(^|\/)(test|tests|__tests__|fixtures)\/|\.(test|spec)\.|(?<!\.d)\.ts$/.test(file)) {
          problems.add(dir, 'published but should not be', file);
        }
        // Build output of a source file that was since renamed or removed (tsc -b leaves it in dist).
        const source = /^dist\/(.*)\.js$/.exec(file)?.[1];
        if (source && !existsSync(join(ROOT, dir, 'src', `${source}.ts`))) {
          problems.add(dir, `stale build output without a source (rm -rf ${dir}/dist && npx tsc -b)`, file);
        }
        if (file.endsWith('.map')) {
          const map = readJson<{ sources: string[]; sourcesContent?: (string | null)[] }>(join(root, file));
          map.sources.forEach((s, i) => {
            if (map.sourcesContent?.[i] == null && !has.has(posix.join(posix.dirname(file), s))) problems.add(dir, 'source map pointing to unpublished sources', file);
          });
        }
      }
    }
    expect(problems.list()).toEqual([]);
  });

  test('declare every package their code imports (an undeclared one works in the monorepo only)', () => {
    const problems = new Problems();
    for (const { dir, manifest, root, files } of packed) {
      const declared = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
      for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
        for (const spec of specifiers(file, readFileSync(join(root, file), 'utf8'))) {
          if (isRelative(spec) || isBuiltin(spec)) continue;
          const name = packageName(spec);
          if (!(name in declared)) problems.add(dir, `imports ${name}, not among its dependencies`, file);
          // Backends register with core, data uses io's file systems: one copy of each per process.
          else if (name.startsWith('@eagerflow/') && !manifest.peerDependencies?.[name]) problems.add(dir, `${name} must be a peerDependency`, file);
        }
      }
    }
    expect(problems.list()).toEqual([]);
  });
});

describe('a project using the packed packages (docs/install.md)', () => {
  test('type-checks under NodeNext and Bundler resolution (strict, declarations checked)', async () => {
    // Bundler: a browser-style project, without @types/node.
    writeFileSync(join(consumer, 'tsconfig.bundler.json'), JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', types: [], noEmit: true },
    }));
    const strict = ['--strict', '--skipLibCheck', 'false', '--pretty', 'false'];
    const [nodeNext, bundler] = await Promise.all([
      runAsync(TSC, ['-p', 'tsconfig.json', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', ...strict], consumer),
      runAsync(TSC, ['-p', 'tsconfig.bundler.json', ...strict], consumer),
    ]);
    expect({ nodeNext, bundler }).toEqual({ nodeNext: { code: 0, output: '' }, bundler: { code: 0, output: '' } });
  });

  test('runs with plain node: trains, writes and reads a TFRecord, saves and restores a checkpoint', () => {
    const out = run(process.execPath, ['dist/main.js'], { cwd: consumer, env: { ...process.env, NODE_OPTIONS: '', NODE_PATH: '' } });
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['cpu webgpu', '5 true', 'out/ckpt/model.ckpt true']);
    expect(lines[3]!.split(' ')).toEqual(expect.arrayContaining(['beta1_power', 'dense/kernel', 'dense/kernel/Adam', 'dense_1/bias/Adam_1']));
  });
});
