// Message content as text, the same way for every adapter: text parts joined,
// refusals kept, images, audio and files replaced by a short placeholder that
// names their type and size (never their bytes), tool calls spelled out as
// `name(arguments)` (calls whose arguments did not parse marked
// `[invalid tool call]`, with the error), reasoning shown only when asked for.
import { InputError } from '../../core/errors.js';
import { isRecord } from '../../core/validate.js';

/** How content is rendered. */
export interface ContentOptions {
  /** Keep reasoning / thinking blocks as `[reasoning] ...` lines (default false: dropped). */
  includeReasoning?: boolean;
}

/** How deeply a content field may nest lists and objects; real transcripts need a handful of levels. */
export const MAX_CONTENT_DEPTH = 64;

/** Whether a JSON value nests lists/objects more than `limit` levels deep (iterative: safe on any depth). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Joins the non-empty pieces of a message, one per line. */
export function joinLines(...parts: Array<string | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n');
}

/** A tool call spelled out: `name(arguments)`, arguments as the JSON text they were sent as. */
export function callText(name: string, args: unknown): string {
  if (args === undefined || args === null) return `${name}()`;
  return `${name}(${typeof args === 'string' ? args : JSON.stringify(args)})`;
}

/**
 * A tool call whose arguments did not parse, spelled out as sent and marked,
 * with the parser's error: often the decisive mistake of a run, so it must
 * not read as a good call, nor vanish.
 */
export function invalidCallText(name: string, args: unknown, error: string | undefined): string {
  const call = `[invalid tool call] ${callText(name, args)}`;
  return error ? `${call}: ${error}` : call;
}

/** A tool's result, attached to the turn of the agent that called it. */
export function resultText(name: string | undefined, output: string): string {
  return `[${name ?? 'tool'} result] ${output}`;
}

/** Reasoning shown in a transcript (when `includeReasoning` is set). */
export function reasoningText(text: string): string {
  return text === '' ? '' : `[reasoning] ${text}`;
}

/** "12 B", "3.4 kB", "1.2 MB". */
function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Bytes held by base64 text (padding and whitespace excluded). */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/**
 * `[image: image/png, 3.4 kB]`, `[audio: wav, 120.0 kB]`, `[file: report.pdf]`,
 * `[image: https://...]`: what kind of media, and how big when its bytes are
 * inline (a data: URL or base64), never the bytes themselves.
 */
export function mediaPlaceholder(kind: string, fields: { data?: unknown; url?: unknown; mime?: unknown; name?: unknown; id?: unknown }): string {
  const details: string[] = [];
  let data = typeof fields.data === 'string' ? fields.data : undefined;
  let mime = typeof fields.mime === 'string' ? fields.mime : undefined;
  // A data: URL may come in the data field too (OpenAI's file_data).
  const url = typeof fields.url === 'string' ? fields.url : data?.startsWith('data:') ? data : undefined;
  if (url?.startsWith('data:')) {
    const comma = url.indexOf(',');
    mime ??= url.slice(5, comma === -1 ? undefined : comma).split(';')[0] || undefined;
    data = comma === -1 ? '' : url.slice(comma + 1);
  }
  if (typeof fields.name === 'string' && fields.name !== '') details.push(fields.name);
  if (mime) details.push(mime);
  if (data !== undefined) details.push(sizeText(base64Bytes(data)));
  else if (url) details.push(url.length > 120 ? `${url.slice(0, 117)}...` : url);
  else if (typeof fields.id === 'string' && fields.id !== '') details.push(fields.id);
  return details.length > 0 ? `[${kind}: ${details.join(', ')}]` : `[${kind}]`;
}

const TEXT_TYPES = new Set(['text', 'input_text', 'output_text', 'summary_text', 'reasoning_text', 'text_delta']);
const REASONING_TYPES = new Set(['thinking', 'reasoning', 'redacted_thinking']);
// computer_screenshot: a computer-use call's result (Responses API, Agents SDK), a screenshot as a data: URL.
const IMAGE_TYPES = new Set(['image_url', 'image', 'input_image', 'output_image', 'computer_screenshot']);
const AUDIO_TYPES = new Set(['input_audio', 'audio', 'output_audio']);
const FILE_TYPES = new Set(['file', 'input_file', 'document']);

function mediaOf(part: Record<string, unknown>, type: string): string | undefined {
  const source = isRecord(part.source) ? part.source : undefined; // Anthropic: { source: { type: base64, media_type, data } }
  if (IMAGE_TYPES.has(type)) {
    const imageUrl = isRecord(part.image_url) ? part.image_url.url : part.image_url;
    // The Agents SDK names an image's URL or data: URL `image`.
    const sdkImage = typeof part.image === 'string' ? part.image : undefined;
    return mediaPlaceholder('image', { url: imageUrl ?? part.url ?? sdkImage ?? source?.url, data: part.data ?? part.base64 ?? source?.data, mime: part.mime_type ?? part.mimeType ?? source?.media_type, id: part.file_id ?? part.fileId ?? part.id });
  }
  if (AUDIO_TYPES.has(type)) {
    const audio = isRecord(part.input_audio) ? part.input_audio : isRecord(part.audio) ? part.audio : part;
    const transcript = typeof audio.transcript === 'string' ? `: "${audio.transcript}"` : '';
    const placeholder = mediaPlaceholder('audio', { data: audio.data ?? part.base64, mime: audio.format ?? part.mime_type ?? part.mimeType, url: part.url, id: audio.id });
    return transcript ? `${placeholder.slice(0, -1)}${transcript}]` : placeholder;
  }
  if (FILE_TYPES.has(type)) {
    const file = isRecord(part.file) ? part.file : part;
    return mediaPlaceholder('file', { name: file.filename ?? file.title ?? part.title, data: file.file_data ?? file.data ?? source?.data, url: file.file_url ?? file.url ?? source?.url, mime: file.mime_type ?? file.mimeType ?? source?.media_type, id: file.file_id ?? file.id });
  }
  if (type === 'blob' || type === 'uri') {
    // OpenTelemetry GenAI parts: { type: blob, modality, mime_type, content } and { type: uri, modality, uri }.
    const modality = typeof part.modality === 'string' ? part.modality : 'file';
    return mediaPlaceholder(modality, { data: type === 'blob' ? part.content : undefined, url: part.uri, mime: part.mime_type });
  }
  return undefined;
}

/**
 * Text of a content field: strings as they are, lists of parts joined, tool
 * calls spelled out, media as placeholders, reasoning only with
 * `includeReasoning`. `path` names the field in the error thrown when it nests
 * more than {@link MAX_CONTENT_DEPTH} levels deep (an InputError, where
 * unbounded recursion would overflow the stack).
 */
export function textOf(content: unknown, path = 'content', options: ContentOptions = {}): string {
  if (deeperThan(content, MAX_CONTENT_DEPTH)) {
    throw new InputError([{ path, message: `nested more than ${MAX_CONTENT_DEPTH} levels deep; expected a string, a list of parts or a tool call` }]);
  }
  return textAt(content, options);
}

function textAt(content: unknown, options: ContentOptions): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (typeof content === 'number' || typeof content === 'boolean') return String(content);
  if (Array.isArray(content)) return joinLines(...content.map((part) => textAt(part, options)));
  if (!isRecord(content)) return JSON.stringify(content);
  const type = typeof content.type === 'string' ? content.type : '';
  if (REASONING_TYPES.has(type)) {
    if (!options.includeReasoning) return '';
    const text = content.thinking ?? content.reasoning ?? content.text ?? content.content ?? content.summary;
    return reasoningText(textAt(text, options));
  }
  if (type === 'refusal') return `[refusal] ${textAt(content.refusal ?? content.content, options)}`;
  const media = mediaOf(content, type);
  if (media !== undefined) return media;
  if (type === 'tool_use' || type === 'server_tool_use') return callText(String(content.name), content.input);
  if (type === 'tool_call' || type === 'function_call') return callText(String(content.name), content.arguments ?? content.args);
  if (type === 'tool_result' || type === 'tool_call_response' || type === 'function_call_output') return resultText(undefined, textAt(content.content ?? content.response ?? content.output, options));
  if (TEXT_TYPES.has(type) || type === '') {
    if (typeof content.text === 'string') return content.text;
    if (type !== '' && typeof content.content === 'string') return content.content; // GenAI text part: { type: text, content }
  }
  if (typeof content.name === 'string' && 'arguments' in content) return callText(content.name, content.arguments);
  if (isRecord(content.function)) return textAt(content.function, options);
  if ('content' in content) return textAt(content.content, options);
  return JSON.stringify(content);
}

/** Ids of the tool calls a content list spells out itself (Anthropic tool_use, tool_call parts), so a separate tool_calls list does not repeat them. */
export function callIdsIn(content: unknown): Set<string> {
  const ids = new Set<string>();
  if (Array.isArray(content)) {
    for (const part of content) {
      if (isRecord(part) && (part.type === 'tool_use' || part.type === 'tool_call' || part.type === 'server_tool_use') && typeof part.id === 'string') ids.add(part.id);
    }
  }
  return ids;
}
