/**
 * ef.app: tf.app.flags and tf.app.run.
 *
 *   const flags = ef.app.flags;
 *   flags.DEFINE_string('data_dir', '/tmp/data', 'where the data lives');
 *   const FLAGS = flags.FLAGS;
 *   ef.app.run((args) => main(FLAGS.data_dir as string, args));
 */
import { defaultArgv, FlagValues, type ParseOptions } from './flags.js';

export { FlagError, FlagValues, defaultArgv, type FlagInfo, type FlagType, type FlagValue, type ParseOptions } from './flags.js';

/** The global flags (tf.app.flags / tf.flags): DEFINE_string, DEFINE_integer, …, FLAGS. */
export const flags = new FlagValues();

export interface RunOptions extends Pick<ParseOptions, 'print' | 'program'> {
  /** The flag set to parse (default: ef.app.flags). */
  flagValues?: FlagValues;
}

/**
 * tf.app.run: parses `argv` (default: process.argv.slice(2) under Node, else []) into
 * `flags.FLAGS` and calls `main(remainingArgs)` with the positional arguments, returning what
 * main returns (await it when main is async). Unknown flags and bad values throw FlagError (TF 1
 * tolerated unknown flags here; use `flags.parse(argv, { knownOnly: true })` for that).
 * `--help` prints the help text and returns undefined without calling main. Unlike TF it does
 * not exit the process.
 */
export function run<R>(main: (argv: string[]) => R, argv: readonly string[] = defaultArgv(), options: RunOptions = {}): R | undefined {
  if (typeof main !== 'function') throw new TypeError(`app.run: main must be a function, found ${typeof main}`);
  const fv = options.flagValues ?? flags;
  const rest = fv.parse(argv, { print: options.print, program: options.program });
  if (fv.helpShown) return undefined;
  return main(rest);
}
