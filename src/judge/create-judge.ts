// The judge: the four judgements of the episode layer's contract, each a
// prompt rendered from the episode, a cached reply, and a checked answer.
import { ablate } from '../episodes/ablate.js';
import { asEpisode } from '../episodes/episode.js';
import type { Episode } from '../episodes/vocabulary.js';
import type { EpisodeJudge, JudgementOptions, JudgeUsage, MessageJudgement } from '../episodes/judge-contract.js';
import { InputError } from '../core/errors.js';
import { checkKnownOptions, describe } from '../core/validate.js';
import { Asker } from './asker.js';
import { clientBackend, fetchBackend } from './chat-backend.js';
import { JudgeError, type JudgementName, type JudgementTarget } from './judge-error.js';
import { Limiter } from './limiter.js';
import { judgePlan, type JudgeOptions } from './options.js';
import { DEFAULT_PROMPTS } from './prompts/index.js';
import type { ChatMessage, JudgePrompts, PromptTemplate } from './prompts/template.js';
import { labelsReply, prefixValuesReply, recoverableReply, valueReply, type ReplyContract } from './replies.js';
import { ReplyCache } from './reply-cache.js';
import { replyKey, type StoredReply } from './store.js';
import { judgedEpisode, viewOf, type CheckedEpisode, type JudgedEpisode, type TranscriptView } from './transcript.js';
import { UsageMeter } from './usage-meter.js';
import { terminalText } from '../core/terminal-text.js';

/**
 * A judge: the episode layer's EpisodeJudge, over an LLM. Besides episodes,
 * its judgements take anything with the fields a judge reads (`id`, `agents`,
 * `messages` of `{ id, agent, content }`, optional `task` and `context`), such
 * as a counterfactual from ablate(); `evaluator` needs a whole episode.
 */
export interface Judge extends EpisodeJudge {
  value(episode: Episode | JudgedEpisode, options?: JudgementOptions): Promise<number>;
  labels(episode: Episode | JudgedEpisode, options?: JudgementOptions): Promise<MessageJudgement[]>;
  prefixValues(episode: Episode | JudgedEpisode, options?: JudgementOptions): Promise<number[]>;
  recoverable(episode: Episode | JudgedEpisode, prefixLength: number, options?: JudgementOptions): Promise<boolean>;
}

const isAbort = (error: unknown, signal: AbortSignal | undefined) => signal?.aborted === true && error === signal.reason;

const ROLES = new Set(['system', 'user', 'assistant']);

/** The template's messages, checked: a replaced prompt that renders something else fails here, by name, not at the server. */
function renderChecked(template: PromptTemplate, name: JudgementName, view: TranscriptView): ChatMessage[] {
  const messages: unknown = template.render(view);
  const bad = !Array.isArray(messages) || messages.length === 0
    ? 'a non-empty array'
    : messages.findIndex((message) => !ROLES.has((message as ChatMessage)?.role) || typeof (message as ChatMessage)?.content !== 'string');
  if (bad === -1) return messages as ChatMessage[];
  const what = typeof bad === 'string' ? `expected ${bad} of chat messages` : `messages[${bad}]: expected { role: 'system' | 'user' | 'assistant', content: string }`;
  throw new Error(`prompts.${name} (version ${template.version}).render: ${what}`);
}

/**
 * The signal of a judgement's options, checked inside the judgement's promise
 * (a call that returns a promise rejects, never throws): a misspelled
 * `signal` would otherwise leave the judgement unabortable without a word.
 * An evaluator's context is the caller's (shapley's), not options: its other
 * keys are not ours to refuse.
 */
function signalOf(options: unknown, kind: 'options' | 'context' = 'options'): AbortSignal | undefined {
  if (kind === 'options') checkKnownOptions(options, ['signal']);
  const signal = (options as JudgementOptions | null | undefined)?.signal;
  if (signal !== undefined && !(typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal)) {
    throw new InputError(`${kind}.signal: expected an AbortSignal (from new AbortController().signal), got ${describe(signal)}`);
  }
  return signal;
}

/**
 * A judge speaking the OpenAI Chat Completions API (or through a client
 * object with `chat.completions.create`).
 *
 * @example
 * const judge = createJudge({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b' });
 * const signals = await attributeEpisode(episode, { judge });   // from agent-credit/episodes
 * await shapley({ players: episode.agents, evaluate: judge.evaluator(episode) });
 */
export function createJudge(options: JudgeOptions): Judge {
  const plan = judgePlan(options);
  const prompts: JudgePrompts = { ...DEFAULT_PROMPTS, ...plan.prompts };
  const usage = new UsageMeter();
  const cache = new ReplyCache(plan.cache);
  const send = plan.send.kind === 'client' ? clientBackend(plan.send.client) : fetchBackend(plan.send);
  const asker = new Asker(send, new Limiter(plan.concurrency), usage, plan, plan.responseFormat);
  const parameters = { temperature: plan.temperature, seed: plan.seed };

  async function judgement<T>(name: JudgementName, contract: ReplyContract<T>, view: TranscriptView, target: JudgementTarget, signal: AbortSignal | undefined): Promise<T> {
    const template = prompts[name];
    try {
      const messages = renderChecked(template, name, view);
      const key = await replyKey({ model: plan.model, prompt: template.version, messages, parameters });
      const cached = await cache.lookup(key);
      if (cached) {
        const check = contract.read(cached.reply, view);
        if (check.ok) {
          usage.cacheHits++;
          return check.value;
        }
        cache.forget(key);
      }
      let asked = false;
      const entry = await cache.fetch(key, async (shared): Promise<StoredReply> => {
        asked = true;
        const answer = await asker.ask(messages, contract, view, target, shared);
        return { key, judgement: name, model: plan.model, prompt: template.version, reply: answer.reply, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
      }, signal);
      if (!asked) usage.cacheHits++;
      const check = contract.read(entry.reply, view);
      if (!check.ok) throw new JudgeError(target, `a shared reply does not fit: ${check.issues.join('; ')}`, 0, undefined, 'episode');
      return check.value;
    } catch (error) {
      if (error instanceof JudgeError || isAbort(error, signal)) throw error;
      throw new JudgeError(target, (error as Error)?.message ?? String(error), 0, error);
    }
  }

  const target = (episode: JudgedEpisode, name: JudgementName, detail?: string): JudgementTarget => ({ episode: episode.id, judgement: name, detail });

  function valueOf(episode: CheckedEpisode, detail: string | undefined, signal: AbortSignal | undefined): Promise<number> {
    const view = viewOf(episode);
    // Nothing said accomplishes nothing: the empty coalition without context costs no call.
    if (view.messages.length === 0) return Promise.resolve(0);
    return judgement('value', valueReply, view, target(episode, 'value', detail), signal);
  }

  return {
    value(episode, options) {
      return usage.time(async () => valueOf(judgedEpisode(episode), undefined, signalOf(options)));
    },

    evaluator(episode) {
      // Validated once here, so that each of the 2^n coalitions costs only its ablation.
      const full = asEpisode(episode);
      return (agents, context) =>
        usage.time(async () => valueOf(judgedEpisode(ablate(full, agents)), `coalition {${agents.map(terminalText).join(', ')}}`, signalOf(context, 'context')));
    },

    labels(episode, options) {
      return usage.time(async () => {
        const signal = signalOf(options);
        const checked = judgedEpisode(episode);
        const labels = await judgement('labels', labelsReply, viewOf(checked), target(checked, 'labels'), signal);
        return labels.map((label, i): MessageJudgement => ({ message: checked.messages[i]!.id, ...label }));
      });
    },

    prefixValues(episode, options) {
      return usage.time(async () => {
        const signal = signalOf(options);
        const checked = judgedEpisode(episode);
        return judgement('prefixValues', prefixValuesReply, viewOf(checked), target(checked, 'prefixValues'), signal);
      });
    },

    recoverable(episode, prefixLength, options) {
      return usage.time(async () => {
        const signal = signalOf(options);
        const checked = judgedEpisode(episode);
        const total = checked.messages.length;
        if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > total) {
          throw new InputError([{ path: 'prefixLength', message: `expected an integer from 0 to ${total} (the episode's messages), got ${describe(prefixLength)}` }], `episode ${JSON.stringify(checked.id)}`);
        }
        // Before anyone has spoken, nothing can have gone wrong.
        if (prefixLength === 0) return true;
        return judgement('recoverable', recoverableReply, viewOf(checked, prefixLength), target(checked, 'recoverable', `first ${prefixLength} messages`), signal);
      });
    },

    usage: (): JudgeUsage => usage.snapshot(),
  };
}
