// Types for Comlink's Node adapter, which ships without a .d.mts next to its .mjs.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  // Shaped like worker_threads' Worker and MessagePort, whose signatures use `any`.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  interface NodeEndpoint {
    postMessage(message: any, transfer?: any): void;
    on(type: 'message', listener: (value: any) => void): unknown;
    off(type: 'message', listener: (value: any) => void): unknown;
    start?: () => void;
  }

  export default function nodeEndpoint(endpoint: NodeEndpoint): Endpoint;
}
