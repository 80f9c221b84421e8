// The Who&When public release (184 failure logs, MIT), bundled verbatim under
// test/fixtures so that every test on real logs runs on a fresh clone; see its
// SOURCE.md for the quirks the adapter handles.
import { fileURLToPath } from 'node:url';

export const WHOWHEN_RELEASE = fileURLToPath(new URL('../fixtures/whowhen-release/', import.meta.url));
