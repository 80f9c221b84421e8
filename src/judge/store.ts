// Where judged replies persist between runs: any object with get and set.
// Keys are SHA-256 hashes of what decides a reply (model, prompt version,
// rendered messages, sampling parameters), never of credentials, and
// entries hold no credentials either. The reply's token limit (maxTokens)
// is not among them: it only cuts a reply short, and a reply that passed
// the checks under one limit is the answer under any other, so raising the
// limit after a reply was cut off (as that error advises) pays for nothing
// judged before.
import type { JudgementName } from './judge-error.js';
import type { ChatMessage } from './prompts/template.js';

/** One judged reply as stores keep it. */
export interface StoredReply {
  /** The hash the reply is filed under. */
  key: string;
  judgement: JudgementName;
  model: string;
  /** The prompt template's version. */
  prompt: string;
  /** The reply's JSON, as the model gave it and as it passed the checks. */
  reply: unknown;
  promptTokens: number;
  completionTokens: number;
}

/**
 * A persistent cache of replies. `set` should not resolve before the entry
 * is safe (a run killed afterwards must find it); both may be synchronous.
 */
export interface JudgeStore {
  /** The reply filed under `key`, or undefined. */
  get(key: string): StoredReply | undefined | Promise<StoredReply | undefined>;
  /** Files a reply under its key; resolves once it is safe. */
  set(entry: StoredReply): void | Promise<void>;
}

/** Everything a reply depends on: what the cache key hashes. */
export interface ReplyIdentity {
  model: string;
  prompt: string;
  messages: ChatMessage[];
  parameters: { temperature: number; seed?: number };
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** SHA-256 (hex) of the identity's JSON, through Web Crypto (Node 20 and browsers on secure pages). */
export async function replyKey(identity: ReplyIdentity): Promise<string> {
  const { model, prompt, messages, parameters } = identity;
  // The last slot held maxTokens and stays null, so cache files written without a limit keep their keys.
  const text = JSON.stringify([model, prompt, messages.map((message) => [message.role, message.content]), parameters.temperature, parameters.seed ?? null, null]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += HEX[byte];
  return hex;
}
