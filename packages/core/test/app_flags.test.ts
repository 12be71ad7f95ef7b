import { afterEach, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';

const fresh = () => {
  const f = new ef.app.FlagValues();
  f.DEFINE_string('data_dir', '/tmp/data', 'where the data lives');
  f.DEFINE_integer('batch_size', 32, 'images per step');
  f.DEFINE_float('learning_rate', 0.01, 'initial learning rate');
  f.DEFINE_boolean('quiet', false, 'no progress bar');
  f.DEFINE_enum('optimizer', 'adam', ['adam', 'sgd'], 'optimizer');
  f.DEFINE_string('log_dir', null, 'event files');
  return f;
};

afterEach(() => ef.app.flags.reset());

describe('ef.app.flags (tf.app.flags)', () => {
  test('defaults, --name=value, --name value, --bool / --nobool, positional args', () => {
    const f = fresh();
    const rest = f.parse(['--batch_size', '64', '--learning_rate=1e-3', 'file1', '--quiet', '--optimizer=sgd', '--', '--not-a-flag']);
    expect(rest).toEqual(['file1', '--not-a-flag']);
    const F = f.FLAGS;
    expect(F.batch_size).toBe(64);
    expect(F.learning_rate).toBe(0.001);
    expect(F.quiet).toBe(true);
    expect(F.optimizer).toBe('sgd');
    expect(F.data_dir).toBe('/tmp/data');
    expect(F.log_dir).toBeNull();
    f.unparse();
    f.parse(['--quiet', '--noquiet', '--data_dir', '']);
    expect(f.FLAGS.quiet).toBe(false);
    expect(f.FLAGS.data_dir).toBe('');
    f.parse(['--quiet=false']);
    expect(f.FLAGS.quiet).toBe(false);
    expect(Object.keys(f.FLAGS)).toEqual(['data_dir', 'batch_size', 'learning_rate', 'quiet', 'optimizer', 'log_dir']);
    expect('quiet' in f.FLAGS).toBe(true);
  });

  test('clear errors: unknown flags, bad values, missing values, redefinition, bad defaults', () => {
    const f = fresh();
    expect(() => f.parse(['--batch_sise', '2'])).toThrow(ef.app.FlagError);
    expect(() => f.parse(['--batch_sise', '2'])).toThrow(/unknown flag --batch_sise \(did you mean --batch_size\?\)/);
    expect(() => f.parse(['--batch_size', 'two'])).toThrow(/--batch_size expects an integer, found 'two'/);
    expect(() => f.parse(['--batch_size=1.5'])).toThrow(/--batch_size expects an integer, found '1.5'/);
    expect(() => f.parse(['--learning_rate', 'fast'])).toThrow(/--learning_rate expects a number, found 'fast'/);
    expect(() => f.parse(['--optimizer', 'lbfgs'])).toThrow(/--optimizer expects one of adam, sgd, found 'lbfgs'/);
    expect(() => f.parse(['--quiet=maybe'])).toThrow(/--quiet expects true or false, found 'maybe'/);
    expect(() => f.parse(['--noquiet=1'])).toThrow(/--noquiet takes no value/);
    expect(() => f.parse(['--data_dir'])).toThrow(/--data_dir needs a value \(a string\)/);
    expect(() => f.DEFINE_integer('batch_size', 1, 'again')).toThrow(/DEFINE_integer: flag 'batch_size' is already defined/);
    expect(() => f.DEFINE_integer('steps', 1.5, 'x')).toThrow(/default of --steps must be an integer, found 1.5/);
    expect(() => f.DEFINE_boolean('b', 'yes' as unknown as boolean, 'x')).toThrow(/must be true or false, found 'yes'/);
    expect(() => f.DEFINE_enum('e', 'c', ['a', 'b'], 'x')).toThrow(/must be one of a, b, found 'c'/);
    expect(() => f.FLAGS.nope).toThrow(/no flag named 'nope'/);
    expect(() => {
      f.FLAGS.batch_size = 'x';
    }).toThrow(/must be an integer/);
    f.FLAGS.batch_size = 7;
    expect(f.FLAGS.batch_size).toBe(7);
  });

  test('--help prints the help text; app.run skips main then', () => {
    const f = fresh();
    const out: string[] = [];
    let called = false;
    const r = ef.app.run(() => (called = true), ['--help'], { flagValues: f, print: (s) => out.push(s), program: 'train' });
    expect(r).toBeUndefined();
    expect(called).toBe(false);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('usage: train [flags] [args]');
    expect(out[0]).toMatch(/--batch_size <integer> +images per step \(default: 32\)/);
    expect(out[0]).toMatch(/--\[no\]quiet +no progress bar \(default: false\)/);
    expect(out[0]).toMatch(/--optimizer <adam\|sgd> +optimizer \(default: 'adam'\)/);
    expect(out[0]).toMatch(/--help +show this help/);
  });

  test('the global ef.app.flags: app.run parses and calls main(remaining); FLAGS parses lazily', () => {
    const flags = ef.app.flags;
    flags.DEFINE_integer('epochs', 5, 'passes');
    flags.DEFINE_boolean('verbose', true, 'chatty');
    const got = ef.app.run((args) => ({ args, epochs: flags.FLAGS.epochs, verbose: flags.FLAGS.verbose }), ['--epochs=2', 'a', '--noverbose']);
    expect(got).toEqual({ args: ['a'], epochs: 2, verbose: false });
    expect(() => ef.app.run(() => 0, ['--epoch=2'])).toThrow(/unknown flag --epoch \(did you mean --epochs\?\)/);
    // Lazy: the first FLAGS access parses the host's argv, tolerating flags it does not know
    // (jest's own arguments here).
    flags.unparse();
    expect(flags.isParsed()).toBe(false);
    expect(flags.FLAGS.epochs).toBe(5);
    expect(flags.isParsed()).toBe(true);
    expect(flags.parse(['--unknown', '--epochs', '3', '--help'], { knownOnly: true })).toEqual(['--unknown', '--help']);
    expect(flags.FLAGS.epochs).toBe(3);
    expect(() => ef.app.run(null as unknown as () => void, [])).toThrow(/main must be a function/);
  });
});
