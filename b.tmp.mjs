import { shapley } from './dist/index.js';
import { createPool } from './dist/node.js';
const n = 24;
const values = new Float64Array(2 ** n).map(() => Math.random());
const players = Array.from({ length: n }, (_, i) => 'p' + i);
const p1 = createPool({ workers: 1 }), p2 = createPool({ workers: 2 });
async function best(fn, r = 3) { await fn(); let b = Infinity; for (let i = 0; i < r; i++) { const t = performance.now(); await fn(); b = Math.min(b, performance.now() - t); } return b; }
const t0 = await best(() => shapley({ players, values }, { method: 'exact' }));
const t1 = await best(() => shapley({ players, values }, { method: 'exact', pool: p1 }));
const t2 = await best(() => shapley({ players, values }, { method: 'exact', pool: p2 }));
console.log('exact table', t0, t1, t2, t1 / t2);
await p1.terminate(); await p2.terminate();
