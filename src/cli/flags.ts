// Command-line flags through node:util's parseArgs, with the two things it
// leaves to the caller: a misspelled flag names the flag it is likely meant
// to be, and a negative number after a flag (`--workers -1`) is that flag's
// value, so the flag's own check says what range it takes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors.js';
import { misspelledName } from '../core/validate.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with positionals allowed, strict, and the errors above made plain. */
export function parseFlags<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw plainFlagError(error, options);
  }
}

/** `--flag -3` as `--flag=-3` for flags that take a value: parseArgs reads "-3" as an option and calls it ambiguous. */
function joinNegativeValues(args: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    if (arg === '--') return [...joined, ...args.slice(k)];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && /^-\d/.test(args[k + 1] ?? '')) {
      joined.push(`${arg}=${args[++k]}`);
    } else joined.push(arg);
  }
  return joined;
}

function plainFlagError(error: unknown, options: Options): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? '';
    const near = misspelledName(flag.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(options));
    return new InputError(`unknown option ${flag}${near ? ` (did you mean --${near}?)` : ''}; --help lists the options`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--budget <value>' argument missing" and the like: keep parseArgs' words, without its advice on positionals.
    return new InputError(message.split('. To specify')[0]);
  }
  return error;
}
