/**
 * tf.app.flags (absl flags) for eagerflow: a registry of typed command-line flags.
 *
 *   const flags = ef.app.flags;
 *   flags.DEFINE_integer('batch_size', 32, 'images per step');
 *   flags.DEFINE_boolean('quiet', false, 'no progress bar');
 *   ef.app.run((args) => train(flags.FLAGS.batch_size as number), argv);
 *
 * Syntax: `--name=value`, `--name value`, `--bool` / `--nobool` / `--bool=false`, `--` ends
 * the flags; other arguments are positional and handed back (to main, by app.run). Names are
 * used exactly as defined (TF style: `--batch_size`). No Node imports: argv is a parameter,
 * defaulting to `process.argv.slice(2)` where a `process` global exists (Node), else [].
 */

export type FlagType = 'string' | 'integer' | 'float' | 'boolean' | 'enum';
export type FlagValue = string | number | boolean | null;

export interface FlagInfo {
  name: string;
  type: FlagType;
  default: FlagValue;
  help: string;
  /** The allowed values of an enum flag. */
  choices?: readonly string[];
}

/** A flag definition or command-line error; the message names the flag, expected vs found. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** The command-line arguments after the program, where the host has them (Node), else []. */
export function defaultArgv(): string[] {
  const proc = (globalThis as { process?: { argv?: readonly string[] } }).process;
  return Array.isArray(proc?.argv) ? proc!.argv!.slice(2) : [];
}

const TYPE_WORD: Record<FlagType, string> = { string: 'a string', integer: 'an integer', float: 'a number', boolean: 'true or false', enum: 'one of' };

export interface ParseOptions {
  /** Leave unknown flags (and --help) among the returned arguments instead of throwing. */
  knownOnly?: boolean;
  /** Where --help goes (default console.log). */
  print?: (s: string) => void;
  /** Program name in the help text. */
  program?: string;
}

/**
 * A set of flags (absl's FlagValues). `ef.app.flags` is the global one; make your own for tests
 * or libraries. Methods are bound, so `const { DEFINE_string, FLAGS } = ef.app.flags` works.
 */
export class FlagValues {
  private readonly defs = new Map<string, FlagInfo>();
  private readonly values = new Map<string, FlagValue>();
  private parsed = false;
  /** Set by parse when --help was given (app.run then skips main). */
  helpShown = false;

  /**
   * The flag values, parsed on first access from the default argv when parse()/app.run has not
   * run yet (like TF's tf.app.flags.FLAGS: unknown arguments are tolerated then). Reading an
   * undefined flag throws; assigning checks the type.
   */
  readonly FLAGS: Record<string, FlagValue> = new Proxy({} as Record<string, FlagValue>, {
    get: (_t, key) => {
      // Symbols, promise / JSON probes and Object.prototype members are not flags: printers and
      // test matchers look them up.
      if (typeof key === 'symbol' || (!this.defs.has(key) && (key === 'then' || key === 'toJSON' || key in Object.prototype))) return undefined;
      if (!this.defs.has(key)) throw new FlagError(`FLAGS.${key}: no flag named '${key}' is defined (defined: ${this.names().join(', ') || 'none'})`);
      if (!this.parsed) this.parse(defaultArgv(), { knownOnly: true });
      return this.values.get(key) ?? null;
    },
    set: (_t, key, value) => {
      if (typeof key === 'symbol' || !this.defs.has(key)) throw new FlagError(`FLAGS.${String(key)}: no flag named '${String(key)}' is defined`);
      const def = this.defs.get(key)!;
      this.checkValue(`FLAGS.${key}`, def, value as FlagValue);
      if (!this.parsed) this.parse(defaultArgv(), { knownOnly: true });
      this.values.set(key, value as FlagValue);
      return true;
    },
    has: (_t, key) => typeof key === 'string' && this.defs.has(key),
    ownKeys: () => this.names(),
    getOwnPropertyDescriptor: (_t, key) => (typeof key === 'string' && this.defs.has(key) ? { enumerable: true, configurable: true, writable: true, value: this.FLAGS[key] } : undefined),
  });

  readonly DEFINE_string = (name: string, defaultValue: string | null, help: string): void => this.define('DEFINE_string', { name, type: 'string', default: defaultValue, help });
  readonly DEFINE_integer = (name: string, defaultValue: number | null, help: string): void => this.define('DEFINE_integer', { name, type: 'integer', default: defaultValue, help });
  readonly DEFINE_float = (name: string, defaultValue: number | null, help: string): void => this.define('DEFINE_float', { name, type: 'float', default: defaultValue, help });
  readonly DEFINE_boolean = (name: string, defaultValue: boolean | null, help: string): void => this.define('DEFINE_boolean', { name, type: 'boolean', default: defaultValue, help });
  /** absl's alias of DEFINE_boolean. */
  readonly DEFINE_bool = (name: string, defaultValue: boolean | null, help: string): void => this.define('DEFINE_bool', { name, type: 'boolean', default: defaultValue, help });
  /** A string restricted to `choices` (absl DEFINE_enum). */
  readonly DEFINE_enum = (name: string, defaultValue: string | null, choices: readonly string[], help: string): void => {
    if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
      throw new FlagError(`DEFINE_enum: choices of flag '${name}' must be a non-empty array of strings, found ${JSON.stringify(choices)}`);
    }
    this.define('DEFINE_enum', { name, type: 'enum', default: defaultValue, help, choices: [...choices] });
  };

  /** The defined flags, in definition order. */
  readonly flagInfos = (): FlagInfo[] => [...this.defs.values()].map((d) => ({ ...d }));
  readonly names = (): string[] => [...this.defs.keys()];
  readonly isParsed = (): boolean => this.parsed;

  /**
   * Parses `argv` (without the program name) into FLAGS and returns the remaining arguments
   * (positional ones, and unknown flags with `knownOnly`). Throws FlagError on an unknown flag,
   * a missing or malformed value. `--help` / `-h` prints the help text (sets helpShown).
   * Flags not on the command line keep their defaults (or values assigned before).
   */
  readonly parse = (argv: readonly string[] = defaultArgv(), options: ParseOptions = {}): string[] => {
    if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new FlagError(`parse: argv must be an array of strings, found ${JSON.stringify(argv)}`);
    const values = new Map<string, FlagValue>();
    for (const [k, d] of this.defs) values.set(k, this.parsed && this.values.has(k) ? this.values.get(k)! : d.default);
    const rest: string[] = [];
    let help = false;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--') {
        rest.push(...argv.slice(i + 1));
        break;
      }
      if (!arg.startsWith('--') || arg === '--') {
        if ((arg === '-h' || arg === '-help') && !options.knownOnly) help = true;
        else rest.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if ((name === 'help' || name === 'helpfull') && !this.defs.has(name)) {
        if (options.knownOnly) rest.push(arg);
        else help = true;
        continue;
      }
      let def = this.defs.get(name);
      if (!def && name.startsWith('no') && this.defs.get(name.slice(2))?.type === 'boolean') {
        if (value !== undefined) throw new FlagError(`--${name} takes no value, found '${value}' (use --${name.slice(2)}=${value})`);
        values.set(name.slice(2), false);
        continue;
      }
      if (!def) {
        if (options.knownOnly) {
          rest.push(arg);
          continue;
        }
        throw new FlagError(`unknown flag --${name}${this.suggest(name)}; see --help`);
      }
      if (def.type === 'boolean') {
        if (value === undefined) values.set(name, true);
        else if (/^(true|t|1|yes)$/i.test(value)) values.set(name, true);
        else if (/^(false|f|0|no)$/i.test(value)) values.set(name, false);
        else throw new FlagError(`--${name} expects true or false, found '${value}'`);
        continue;
      }
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new FlagError(`--${name} needs a value (${this.expected(def)})`);
      }
      values.set(name, this.convertValue(def, value));
    }
    this.values.clear();
    for (const [k, v] of values) this.values.set(k, v);
    this.parsed = true;
    this.helpShown = help;
    if (help) (options.print ?? console.log)(this.helpText(options.program));
    return rest;
  };

  /** The help text: one line per flag with its type, help and default. */
  readonly helpText = (program = 'main'): string => {
    const rows = [...this.defs.values()].map((d) => {
      const flag = d.type === 'boolean' ? `--[no]${d.name}` : `--${d.name} <${d.type === 'enum' ? d.choices!.join('|') : d.type}>`;
      const dflt = d.default === null ? '' : ` (default: ${typeof d.default === 'string' ? `'${d.default}'` : String(d.default)})`;
      return [flag, `${d.help}${dflt}`] as const;
    });
    rows.push(['--help', 'show this help']);
    const w = Math.max(...rows.map((r) => r[0].length));
    return [`usage: ${program} [flags] [args]`, '', 'flags:', ...rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`)].join('\n');
  };

  /** Forgets parsed values (FLAGS re-parses on next access); definitions stay. */
  readonly unparse = (): void => {
    this.values.clear();
    this.parsed = false;
    this.helpShown = false;
  };

  /** Removes every definition and value (tests; TF's tf.app.flags has no equivalent). */
  readonly reset = (): void => {
    this.defs.clear();
    this.unparse();
  };

  private define(fn: string, info: FlagInfo): void {
    if (typeof info.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_\-.]*$/.test(info.name)) throw new FlagError(`${fn}: flag name must be a string of letters, digits, '_', '-' or '.', found ${JSON.stringify(info.name)}`);
    if (info.name === 'help' || info.name === 'helpfull') throw new FlagError(`${fn}: '--${info.name}' is reserved`);
    if (this.defs.has(info.name)) throw new FlagError(`${fn}: flag '${info.name}' is already defined (as ${this.defs.get(info.name)!.type})`);
    if (typeof info.help !== 'string') throw new FlagError(`${fn}: help of flag '${info.name}' must be a string, found ${typeof info.help}`);
    if (info.default !== null) this.checkValue(`${fn}('${info.name}')`, info, info.default, 'default');
    this.defs.set(info.name, info);
    if (this.parsed) this.values.set(info.name, info.default);
  }

  private expected(def: FlagInfo): string {
    return def.type === 'enum' ? `one of ${def.choices!.join(', ')}` : TYPE_WORD[def.type];
  }

  private checkValue(where: string, def: FlagInfo, v: FlagValue, what = 'value'): void {
    const ok =
      v === null ||
      (def.type === 'string' && typeof v === 'string') ||
      (def.type === 'enum' && typeof v === 'string' && def.choices!.includes(v)) ||
      (def.type === 'boolean' && typeof v === 'boolean') ||
      (def.type === 'integer' && Number.isInteger(v)) ||
      (def.type === 'float' && typeof v === 'number' && !Number.isNaN(v));
    if (!ok) throw new FlagError(`${where}: ${what} of --${def.name} must be ${this.expected(def)}, found ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }

  private convertValue(def: FlagInfo, value: string): FlagValue {
    const bad = (): never => {
      throw new FlagError(`--${def.name} expects ${this.expected(def)}, found '${value}'`);
    };
    switch (def.type) {
      case 'string':
        return value;
      case 'enum':
        return def.choices!.includes(value) ? value : bad();
      case 'integer': {
        const n = Number(value);
        return value.trim() !== '' && Number.isSafeInteger(n) ? n : bad();
      }
      case 'float': {
        const n = Number(value);
        return value.trim() !== '' && !Number.isNaN(n) ? n : bad();
      }
      default:
        return bad();
    }
  }

  private suggest(name: string): string {
    const names = this.names();
    const close = names.find((f) => f.startsWith(name) || name.startsWith(f)) ?? names.find((f) => editDistance(f, name) <= 2);
    return close ? ` (did you mean --${close}?)` : '';
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}
