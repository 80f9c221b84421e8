// --evaluator ./evaluate.mjs: a module of the user's that re-runs the team
// with only some agents (the faithful way to get v(S)) and exports
// `evaluate(episode, agents, { signal })`, returning a number or a promise.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EpisodeEvaluator } from '../episodes/attribute.js';
import { InputError } from '../core/errors.js';

/** The `evaluate` export of the module at `path` (relative to the working directory). */
export async function loadEvaluator(path: string): Promise<EpisodeEvaluator> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`--evaluator ${path}: cannot load the module (${(error as Error)?.message ?? String(error)})`);
  }
  const evaluate = module.evaluate ?? (module.default as Record<string, unknown> | undefined)?.evaluate;
  if (typeof evaluate !== 'function') {
    throw new InputError(`--evaluator ${path}: expected the module to export evaluate(episode, agents, { signal }), a function returning v(agents); it exports ${Object.keys(module).join(', ') || 'nothing'}`);
  }
  return evaluate as EpisodeEvaluator;
}
