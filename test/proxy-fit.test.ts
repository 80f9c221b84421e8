// Pins the msr proxy fit (assembly/proxy.ts): msr values on seeded SOUM games,
// recorded from the per-coalition accumulation of the normal equations before
// they were accumulated per (size, fold) bucket. Any faster way to build or
// solve the same least-squares problem must give the same values up to
// floating-point rounding; a wrong Gram entry moves them by far more. The odd
// budgets leave one coalition without its complement, and 8 folds is the most
// strata.ts supports: both keep some (size, fold) buckets on their own.
import { describe, expect, it } from 'vitest';
import { designSampler, proxySettings, type ProxySettings } from '../src/estimators/design-estimators.js';
import { GAME_KIND_ID, randomSoumGame } from '../src/core/games.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { seededRandom } from './support/random.js';

const core = await kernelExports();

interface Pinned { n: number; budget: number; maxSize: number; seed: number; proxy?: ProxySettings; values: number[] }

const PINNED: Pinned[] = [
  {
    n: 12, budget: 2000, maxSize: 12, seed: 1,
    values: [
      -0.1370721605362895, -1.0737425788095238, -0.6835578925439876, -0.08317960198630835,
      -0.511167387713525, 0.025157747364273685, 0.48894378940307087, -0.31160577897999114,
      -0.1314840714003585, 0.059582479656263274, -0.5232730733855504, -0.5790130732336232,
    ],
  },
  {
    n: 16, budget: 3000, maxSize: 5, seed: 2,
    values: [
      0.7100805404199673, -0.2133217410195058, -1.6458627977798106, 0.03823603414689089,
      -0.5620020335755018, 0.3961071397372994, 0.0641662053027073, -0.761573298558722,
      -0.2714703718600294, 0.062230346500141476, -0.5902919676638048, 2.35512911631342,
      0.7649951022591284, 0.0997355297247361, -0.2121005215218526, 0.17803166028897371,
    ],
  },
  {
    n: 20, budget: 5000, maxSize: 5, seed: 3,
    values: [
      -0.06415230136074637, -2.11288537366872, -0.23928583035526887, 0.410205248557954,
      -0.344179469011896, 0.46184393495394743, 0.23664014956374077, -0.1675111742556785,
      -0.19727540269479196, -0.694837458505154, 0.017482116467743135, 0.1231985294192017,
      -0.031548760131844183, -0.7567751380282766, -0.30069903995188596, -0.2015560488131458,
      0.19334506991057102, -0.10967755942750339, -0.046104936549370784, 0.285392115540504,
    ],
  },
  {
    n: 20, budget: 5000, maxSize: 20, seed: 4,
    values: [
      -0.11934331554067465, 0.33029260781142006, 0.22756015805158789, 0.3686827131646247,
      0.057972507418884434, -0.008858984745821155, 0.23680449665003855, -0.11461419577951579,
      0.18799053170237814, 0.0172146655563344, 0.0644806041352453, -0.030941594820924713,
      -0.2143707156639748, 0.14613718589475186, 0.019660418121416626, 0.42560752507895155,
      0.23485223785742426, -0.08619820918319737, 0.045055726109033536, 0.5288868151214763,
    ],
  },
  {
    n: 20, budget: 1000, maxSize: 20, seed: 5,
    values: [
      0.11768232607570125, -0.19757527812959433, 0.1466829400766523, 0.546471363339077,
      0.5926138877970957, 0.4811038320116747, 0.0902955171807208, -0.16536233360754085,
      0.35450601440472596, -0.016934684734340323, -0.21071269700744885, -0.08966496214530066,
      0.01826257313023156, -0.19670116665693732, -0.19033139591137807, -0.45207076330838264,
      -0.4106772443688271, -0.17715304480882724, -0.06280885297686085, 0.16410801296206348,
    ],
  },
  {
    n: 17, budget: 3000, maxSize: 6, seed: 6, proxy: { degree: 1, pairDegree: 0, folds: 3, ridge: 0.001 },
    values: [
      -0.47293003306952824, -0.22241940665298165, -0.15442835192244553, 0.14116487125389765,
      -0.05569245541994669, -0.8475792139531924, -0.21695705089947054, -0.2687273276361314,
      0.6562936563861757, 0.4636372257655492, -0.2656917809106616, -0.35859572589433625,
      -0.6349189384720493, 0.13155460541686237, -0.4837906242959776, -0.519788220731704,
      0.3654751356586519,
    ],
  },
  {
    n: 13, budget: 1200, maxSize: 4, seed: 7, proxy: { degree: 0, pairDegree: -1, folds: 8, ridge: 0.000001 },
    values: [
      1.7129065488217265, 0.0904230846980315, -0.6358026626107296, 1.1740122372369128,
      1.7661727145659885, 0.4411586638200781, 0.35655529804803665, 0.36504788414437805,
      0.6775236620458489, -0.7643602655871736, -0.4162021569091444, -1.6024779443001667,
      -0.565600230594073,
    ],
  },
  {
    n: 14, budget: 2001, maxSize: 14, seed: 8, proxy: { degree: 2, pairDegree: 1, folds: 2, ridge: 0.001 },
    values: [
      -0.7057708545064093, -0.3820511872557459, -0.15524661065646211, -0.451880827587435,
      -0.0632261200479262, -0.12871782214261857, -0.7728640608992268, 0.06335423355188208,
      0.16604499871801173, -0.21417720742135002, -0.5308711547229574, -0.7586494918547406,
      0.22473203753417845, 0.001065918542374051,
    ],
  },
  {
    n: 15, budget: 1801, maxSize: 5, seed: 9, proxy: { degree: 1, pairDegree: 1, folds: 8, ridge: 0.001 },
    values: [
      -0.9582127258186407, -0.09141781476551658, -0.6211533281813516, -0.0073253881677610416,
      -0.18844129553412345, -0.4233707380907626, -0.03623507239455837, -0.054564523992296006,
      0.25202059804283505, 0.35903429139292564, -0.07066020148842236, 0.10493330711198882,
      0.2236948034323504, 1.0423888262889438, -0.7062196706640665,
    ],
  },
];

describe('msr proxy fit', () => {
  it.each(PINNED)('n = $n, budget $budget, sizes 1..$maxSize: same values as the reference fit', (pin) => {
    const game = randomSoumGame(pin.n, 40, 1, pin.maxSize, seededRandom(7000 + pin.seed));
    const proxy = pin.proxy ?? proxySettings(pin.n, pin.budget);
    const sampler = designSampler('msr', core, pin.n, pin.budget, pin.seed, proxy);
    sampler.runInWasm(GAME_KIND_ID.soum, game.params);
    const { values } = sampler.estimate();
    sampler.dispose();
    const scale = Math.max(...pin.values.map(Math.abs));
    for (let i = 0; i < pin.n; i++) expect(Math.abs(values[i] - pin.values[i])).toBeLessThanOrEqual(1e-9 * scale);
  });

  it('the pinned cases cover pairwise and additive-only proxies', () => {
    const kinds = PINNED.map((pin) => (pin.proxy ?? proxySettings(pin.n, pin.budget)).pairDegree);
    expect(kinds).toContain(1);
    expect(kinds).toContain(0);
    expect(kinds).toContain(-1);
  });
});
