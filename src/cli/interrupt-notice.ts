// The last words of a paid run stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP:
// what it kept and how to go on. A judged run can take hours and money, and
// exiting in silence leaves the user to guess whether the replies paid for
// are lost and whether -o was cut.
import { terminalLines } from '../core/terminal-text.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Prints `notice(signal)` on stderr when the process is told to stop, then
 * lets it die of the signal as it would have: the signal is raised again
 * unless another listener (the -o output removing its temporary file) is
 * left to do that. Returns the function that stops listening.
 */
export function onInterrupt(notice: (signal: NodeJS.Signals) => string): () => void {
  const release = () => {
    for (const name of SIGNALS) process.off(name, listener);
  };
  function listener(signal: NodeJS.Signals) {
    release();
    process.stderr.write(terminalLines(`${notice(signal)}\n`));
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  for (const name of SIGNALS) process.on(name, listener);
  return release;
}
