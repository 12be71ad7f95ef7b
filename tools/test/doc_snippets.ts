// Runs the ```ts examples of a docs/*.md page as jest tests, so the documentation stays runnable.
// Shared by packages/*/test/docs_*.test.ts and tools/test/packaging.test.ts (not a test itself: not
// named *.test.ts; tsconfig.test.json type-checks it).
//
// Each ```ts block is one snippet, run in document order as the body of an async function (top-level
// await works) after esbuild strips the types. Its `import` lines become bindings to the modules the
// test provides (`modules`), so a snippet that imports a package or a name the test does not know
// fails, naming it; `globals` are visible to every snippet without an import (the page's stated
// setup, e.g. `ef`, `data`). console.log output is captured per snippet (also what library code
// prints; console.info apart; SHOW_DOC_OUTPUT=1 echoes both), and so are the snippet's top-level
// bindings, so a test can check what the comments state. Blocks fenced ```sh, ```text, ```js or bare
// ``` are not run.
import { describe, expect, jest, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

export interface DocSnippet {
  /** 0-based index among the page's snippets. */
  index: number;
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number;
  source: string;
  /** First code line (imports and blank lines skipped), for test names. */
  title: string;
}

/** The fenced blocks of `markdown` whose info string is `lang` (default `ts`), in order. */
export function extractSnippets(markdown: string, lang = 'ts'): DocSnippet[] {
  const out: DocSnippet[] = [];
  const lines = markdown.split('\n');
  let open: { lang: string; line: number; body: string[] } | null = null;
  lines.forEach((text, i) => {
    const fence = /^\s*```(\S*)/.exec(text);
    if (!open) {
      if (fence) open = { lang: fence[1]!, line: i + 2, body: [] };
    } else if (fence && text.trim() === '```') {
      if (open.lang === lang) {
        const source = open.body.join('\n');
        const first = open.body.find((l) => l.trim() && !/^\s*import\b/.test(l)) ?? open.body.find((l) => l.trim()) ?? '(empty)';
        out.push({ index: out.length, line: open.line, source, title: first.trim().slice(0, 60) });
      }
      open = null;
    } else {
      open.body.push(text);
    }
  });
  if (open) throw new Error(`unclosed code fence opened at line ${(open as { line: number }).line - 1}`);
  return out;
}

const IMPORT_FROM = /^import\s+(?!type\s)(.+?)\s+from\s+(['"])([^'"]+)\2;?\s*(?:\/\/.*)?$/;
const IMPORT_BARE = /^import\s+(['"])([^'"]+)\1;?\s*(?:\/\/.*)?$/;

/** Rewrites a snippet's single-line import statements into bindings of `__import(specifier)`. */
export function rewriteImports(source: string): string {
  return source.split('\n').map((line) => {
    if (!/^import\b/.test(line)) return line;
    if (/^import\s+type\s/.test(line)) return '';
    const bare = IMPORT_BARE.exec(line);
    if (bare) return `__import(${JSON.stringify(bare[2])});`;
    const m = IMPORT_FROM.exec(line);
    if (!m) throw new Error(`snippet import not understood (one import per line): ${line}`);
    const [, clause, , spec] = m;
    const mod = `__import(${JSON.stringify(spec)})`;
    const ns = /^\*\s+as\s+(\w+)$/.exec(clause!);
    if (ns) return `const ${ns[1]} = ${mod};`;
    const named = /^(?:(\w+)\s*,\s*)?\{([^}]*)\}$/.exec(clause!);
    const defaultOnly = /^(\w+)$/.exec(clause!);
    const decls: string[] = [];
    if (defaultOnly || named?.[1]) decls.push(`${(defaultOnly ?? named)![1]} = ${mod}.default`);
    if (named) {
      const names = named[2]!.split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type '));
      decls.push(`{ ${names.map((n) => n.replace(/\s+as\s+/, ': ')).join(', ')} } = ${mod}`);
    }
    if (!decls.length) throw new Error(`snippet import not understood: ${line}`);
    return `const ${decls.join(', ')};`;
  }).join('\n');
}

/** How console.log arguments are recorded: strings as they are, everything else as JSON (bigints as `1n`, typed arrays as arrays). */
export function formatLogArgs(args: unknown[]): string {
  return args.map((v) => (typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) && !(x instanceof DataView) ? Array.from(x as unknown as ArrayLike<unknown>) : x))).join(' ');
}

export interface SnippetEnv {
  /** Import specifier → the module object a snippet's `import` of it gets (side-effect imports must be listed too). */
  modules: Record<string, unknown>;
  /** Names every snippet can use without importing them. */
  globals?: Record<string, unknown>;
  /** Value of `import.meta.url` inside snippets (a file: URL); without it `import.meta` is an error. */
  importMetaUrl?: string;
}

/** Names a snippet declares at top level (column 0: const/let/var, simple destructuring, function, class). */
export function topLevelNames(source: string): string[] {
  const names = new Set<string>();
  for (const line of source.split('\n')) {
    let m = /^(?:const|let|var)\s+(\w+)/.exec(line) ?? /^(?:async\s+)?function\*?\s+(\w+)/.exec(line) ?? /^class\s+(\w+)/.exec(line);
    if (m) {
      names.add(m[1]!);
      continue;
    }
    m = /^(?:const|let|var)\s*[{[]([^}\]]*)[}\]]\s*=/.exec(line);
    if (m) for (const part of m[1]!.split(',')) {
      const name = /(\w+)\s*(?:=.*)?$/.exec(part.trim().replace(/^\.\.\./, ''))?.[1];
      if (name) names.add(name);
    }
  }
  return [...names];
}

export interface SnippetResult {
  /** What the snippet (and the code it called) printed with console.log, one entry per call. */
  printed: string[];
  /** The same for console.info (the library's notes, e.g. ef.ready()'s backend choice). */
  info: string[];
  /** The snippet's top-level bindings after it ran (see topLevelNames), for checks of what its comments state. */
  scope: Record<string, unknown>;
}

type SnippetFn = (...args: unknown[]) => Promise<void>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => SnippetFn;

/** Compiles and runs one snippet. */
export async function runSnippet(snippet: DocSnippet, env: SnippetEnv): Promise<SnippetResult> {
  const source = rewriteImports(snippet.source);
  const { code } = transformSync(`${source}\n;__scope({ ${topLevelNames(source).join(', ')} });`, {
    loader: 'ts', format: 'esm', target: 'node20', supported: { using: false },
    sourcefile: `snippet #${snippet.index} (line ${snippet.line})`,
    define: env.importMetaUrl ? { 'import.meta.url': JSON.stringify(env.importMetaUrl) } : {},
  });
  const globals = env.globals ?? {};
  const importModule = (spec: string): unknown => {
    if (!(spec in env.modules)) throw new Error(`the snippet imports '${spec}', which the docs test does not provide (it has: ${Object.keys(env.modules).join(', ')})`);
    return env.modules[spec];
  };
  const result: SnippetResult = { printed: [], info: [], scope: {} };
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { result.printed.push(formatLogArgs(a)); });
  const info = jest.spyOn(console, 'info').mockImplementation((...a: unknown[]) => { result.info.push(formatLogArgs(a)); });
  try {
    // The block lets a snippet's own `import * as ef` shadow the global of the same name.
    await new AsyncFunction(...Object.keys(globals), '__import', '__scope', `{\n${code}\n}`)(
      ...Object.values(globals), importModule, (scope: Record<string, unknown>) => { result.scope = scope; });
  } finally {
    log.mockRestore();
    info.mockRestore();
    if (process.env.SHOW_DOC_OUTPUT) process.stdout.write(`--- #${snippet.index} (line ${snippet.line})\n${[...result.info, ...result.printed].join('\n')}\n`);
  }
  return result;
}

/**
 * Writes the page's `lang` blocks whose first line is a comment naming a file (`// decode.mjs`) into
 * `dir` under that name (modules a snippet loads); returns the names written.
 */
export function writeFileBlocks(markdown: string, dir: string, lang = 'js'): string[] {
  return extractSnippets(markdown, lang).flatMap((s) => {
    const name = /^\/\/\s*([\w.-]+\.\w+)\s*$/.exec(s.source.split('\n')[0]!)?.[1];
    if (!name) return [];
    writeFileSync(join(dir, name), s.source);
    return [name];
  });
}

export interface DocTestOptions extends SnippetEnv {
  /** The page must have at least this many snippets (guards against a broken extraction). */
  minSnippets: number;
  /** Runs before each snippet (e.g. `ef.setBackend('cpu')`). */
  beforeEach?: () => unknown;
}

export interface DocRun {
  snippets: DocSnippet[];
  /** Per snippet, filled as the snippet tests run (an entry stays undefined if its snippet failed). */
  results: SnippetResult[];
  /** Everything printed so far, one console.log call per line. */
  printed(): string;
  /** The result of the one snippet whose source contains `text` (throws if none ran or several match). */
  result(text: string): SnippetResult;
}

/**
 * Declares one jest test per snippet of the page at `docPath`, run in document order (later snippets
 * may use files or state earlier ones created). Check `printed()` / `result(...)` in tests declared afterwards.
 */
export function describeDocSnippets(docPath: string, options: DocTestOptions): DocRun {
  const snippets = extractSnippets(readFileSync(docPath, 'utf8'));
  const run: DocRun = {
    snippets,
    results: [],
    printed: () => run.results.flatMap((r) => r?.printed ?? []).join('\n'),
    result: (text) => {
      const found = snippets.filter((s) => s.source.includes(text));
      if (found.length !== 1) throw new Error(`${found.length} snippets contain ${JSON.stringify(text)}`);
      const r = run.results[found[0]!.index];
      if (!r) throw new Error(`snippet #${found[0]!.index} (line ${found[0]!.line}) did not run to the end`);
      return r;
    },
  };
  const name = docPath.replace(/^.*\/(docs\/)/, '$1');
  describe(`${name} snippets run`, () => {
    test('there are snippets', () => expect(snippets.length).toBeGreaterThanOrEqual(options.minSnippets));
    for (const s of snippets) {
      test(`#${s.index} (line ${s.line}): ${s.title}`, async () => {
        await options.beforeEach?.();
        run.results[s.index] = await runSnippet(s, options);
      });
    }
  });
  return run;
}
