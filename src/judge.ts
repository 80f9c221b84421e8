// The `agent-credit/judge` entry: an LLM judge over any OpenAI-compatible
// Chat Completions server (or a client object with chat.completions.create)
// that fills in what real transcripts lack: coalition values, message
// labels, prefix values and recoverability. A subpath of its own, so the
// main entry's size budget never pays for it. The JSON-lines file store is
// Node-only and lives in `agent-credit/node`.
export { createJudge } from './judge/create-judge.js';
export type { Judge } from './judge/create-judge.js';
export type { JudgeOptions } from './judge/options.js';
export { JudgeError, type JudgeFailureScope } from './judge/judge-error.js';
export type { JudgementName, JudgementTarget } from './judge/judge-error.js';
export { createIndexedDBStore } from './judge/indexeddb-store.js';
export type { IndexedDBFactory, IndexedDBStore, IndexedDBStoreOptions } from './judge/indexeddb-store.js';
export type { JudgeStore, StoredReply } from './judge/store.js';
export type { ChatClient } from './judge/chat-backend.js';
export { RESPONSE_FORMATS } from './judge/asker.js';
export type { ResponseFormat } from './judge/asker.js';
export { DEFAULT_PROMPTS, valuePrompt, labelsPrompt, prefixValuesPrompt, recoverablePrompt, TRANSCRIPT_GUIDE } from './judge/prompts/index.js';
export type { ChatMessage, JudgePrompts, PromptTemplate } from './judge/prompts/index.js';
export { renderTranscript, transcriptView } from './judge/transcript.js';
export type { JudgedEpisode, TranscriptMessage, TranscriptView } from './judge/transcript.js';
export type { EpisodeJudge, JudgeUsage, JudgementOptions, MessageJudgement } from './episodes/judge-contract.js';
