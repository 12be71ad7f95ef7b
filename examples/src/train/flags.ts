/**
 * Command-line flags declared in one place with types, defaults and help (TensorFlow's
 * tf.app.flags, in TypeScript). `--name value`, `--name=value`, `--flag`/`--no-flag` for booleans.
 */
export type FlagType = 'string' | 'number' | 'int' | 'boolean';

export interface FlagSpec<T extends FlagType = FlagType> {
  type: T;
  default: FlagValue<T> | null;
  help: string;
  choices?: readonly string[];
}

type FlagValue<T extends FlagType> = T extends 'boolean' ? boolean : T extends 'string' ? string : number;
export type Flags<S extends Record<string, FlagSpec>> = { [K in keyof S]: S[K]['default'] extends null ? FlagValue<S[K]['type']> | null : FlagValue<S[K]['type']> };

export class FlagError extends Error {}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function helpText<S extends Record<string, FlagSpec>>(program: string, description: string, specs: S): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `--${kebab(name)}${s.type === 'boolean' ? '' : ` <${s.choices ? s.choices.join('|') : s.type}>`}`;
    const dflt = s.default === null ? '' : ` (default: ${String(s.default)})`;
    return [flag, `${s.help}${dflt}`];
  });
  const w = Math.max(...rows.map((r) => r[0]!.length));
  return [`usage: ${program} [flags]`, '', description, '', 'flags:', ...rows.map(([f, h]) => `  ${f!.padEnd(w)}  ${h}`), `  ${'--help'.padEnd(w)}  show this help`].join('\n');
}

/** Parses argv against the specs; throws FlagError with a clear message. Returns null for --help. */
export function parseFlags<S extends Record<string, FlagSpec>>(specs: S, argv: readonly string[]): Flags<S> | null {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = s.default;
  const byFlag = new Map(Object.keys(specs).map((k) => [kebab(k), k]));
  for (const k of Object.keys(specs)) byFlag.set(k, k);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return null;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument '${arg}' (flags look like --name value)`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let key = byFlag.get(name);
    if (!key && name.startsWith('no-') && specs[byFlag.get(name.slice(3)) ?? '']?.type === 'boolean') {
      key = byFlag.get(name.slice(3))!;
      if (value !== undefined) throw new FlagError(`--${name} takes no value`);
      out[key] = false;
      continue;
    }
    if (!key) {
      const close = [...byFlag.keys()].filter((f) => f.includes(name.slice(0, 4)) || name.includes(f.slice(0, 4)));
      throw new FlagError(`unknown flag --${name}${close.length ? ` (did you mean --${close[0]}?)` : ''}; see --help`);
    }
    const spec = specs[key]!;
    if (spec.type === 'boolean') {
      if (value === undefined) out[key] = true;
      else if (/^(true|1|yes)$/i.test(value)) out[key] = true;
      else if (/^(false|0|no)$/i.test(value)) out[key] = false;
      else throw new FlagError(`--${name} expects true or false, found '${value}'`);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new FlagError(`--${name} needs a value`);
    }
    if (spec.type === 'string') {
      if (spec.choices && !spec.choices.includes(value)) throw new FlagError(`--${name} must be one of ${spec.choices.join(', ')}; found '${value}'`);
      out[key] = value;
    } else {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new FlagError(`--${name} expects a number, found '${value}'`);
      if (spec.type === 'int' && !Number.isInteger(n)) throw new FlagError(`--${name} expects an integer, found '${value}'`);
      out[key] = n;
    }
  }
  return out as Flags<S>;
}
