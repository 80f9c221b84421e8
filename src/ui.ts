// The `agent-credit/ui` entry: framework-free custom elements that draw the
// library's results. Importing it registers <ac-credit-bars>,
// <ac-credit-waterfall>, <ac-interaction-heatmap>, <ac-reward-timeline>,
// <ac-transcript> and <ac-dataset-overview>; importing it where there is no
// DOM (server rendering) defines nothing and fails nothing.
export { CreditBarsElement } from './ui/credit-bars.js';
export { CreditWaterfallElement } from './ui/credit-waterfall.js';
export { InteractionHeatmapElement } from './ui/interaction-heatmap.js';
export { RewardTimelineElement } from './ui/reward-timeline.js';
export { TranscriptElement } from './ui/transcript.js';
export { DatasetOverviewElement } from './ui/dataset-overview.js';
export { summarize } from './ui/dataset.js';
export { foldedText } from './ui/folded-text.js';
export type { DatasetSummary, AgentSummary } from './ui/dataset.js';
export type { EpisodeLike, EpisodeMessageLike, MessageJudgement } from './ui/sources.js';
