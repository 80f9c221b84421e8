// Guesses the input format of a JSON record, so a dropped file runs without
// the user naming its format. The names are the CLI's --from values, plus
// 'table' for a bare value table { players, values }.

export const FORMAT_NAMES = ['episode', 'openai', 'ag2', 'autogen', 'langchain', 'whowhen', 'table'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export const FORMAT_LABELS: Record<FormatName | 'auto', string> = {
  auto: 'detect automatically',
  episode: 'episode v1',
  openai: 'OpenAI chat messages',
  ag2: 'AG2 / AutoGen GroupChat',
  autogen: 'AutoGen AgentChat TaskResult',
  langchain: 'LangChain / LangGraph messages',
  whowhen: 'Who&When log',
  table: 'value table { players, values }',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The format of a list of transcript messages, from its first message's fields. */
function formatOfMessages(list: unknown[], key: string): FormatName | null {
  const first = list.find(isObject);
  if (!first) return null;
  if ('agent' in first) return 'episode';
  if ('source' in first) return 'autogen';
  if ('lc' in first || 'data' in first || ('type' in first && !('role' in first))) return 'langchain';
  if ('role' in first || 'name' in first) return key === 'chat_history' ? 'ag2' : 'openai';
  return null;
}

/** The format `value` is most likely in; null when nothing fits. */
export function detectFormat(value: unknown): FormatName | null {
  if (Array.isArray(value)) {
    const first = value.find((item) => item !== null && item !== undefined);
    if (isObject(first) && Array.isArray(first.messages)) return detectFormat(first);
    return formatOfMessages(value, '');
  }
  if (!isObject(value)) return null;
  if ('players' in value && 'values' in value) return 'table';
  if (Array.isArray(value.history)) return 'whowhen';
  if (Array.isArray(value.chat_history)) return formatOfMessages(value.chat_history, 'chat_history');
  if (Array.isArray(value.messages)) return formatOfMessages(value.messages, 'messages');
  return null;
}

/**
 * Whether a JSON document holding an array is a list of records (episode
 * files) rather than one transcript (a chat message list is an array itself).
 */
export function isRecordList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some((item) => isObject(item) && (Array.isArray(item.messages) || Array.isArray(item.history) || 'values' in item));
}
