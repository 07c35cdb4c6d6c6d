// Top-down layered layout (Sugiyama style) for the Graph view, written for 10,000-node models:
// longest-path ranks, dummy points on edges spanning a few ranks, barycenter ordering sweeps and a
// compaction pass. Linear-ish in nodes + edges; no recursion (deep chains do not hit the stack
// limit, which @dagrejs/dagre did at 10,000 nodes). Pure: it runs in a Web Worker and under node.

export interface LayoutInput {
  readonly nodeCount: number;
  /** Edges as [from, to] pairs of node indices. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly nodeWidth: number;
  readonly nodeHeight: number;
}

export interface Layout {
  /** Centre of each node. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rank: Int32Array;
  /** Edge i's polyline is points[offsets[i] .. offsets[i+1]) as x,y pairs (from centre to centre). */
  readonly points: Float64Array;
  readonly offsets: Int32Array;
  readonly width: number;
  readonly height: number;
}

/** Edges longer than this many ranks get no dummy points: drawn as a curve beside the column. */
const MAX_DUMMY_SPAN = 12;
const SWEEPS = 4;
const H_GAP = 24;
const V_GAP = 36;

/** Longest path from the sources, with edges against the node order treated as back edges. */
function ranks(input: LayoutInput): Int32Array {
  const rank = new Int32Array(input.nodeCount);
  // Edges sorted by source: processing sources in index order gives a topological pass.
  const order = Array.from(input.from.keys()).sort((a, b) => input.from[a]! - input.from[b]! || input.to[a]! - input.to[b]!);
  for (const e of order) {
    const f = input.from[e]!;
    const t = input.to[e]!;
    if (t > f && rank[t]! < rank[f]! + 1) rank[t] = rank[f]! + 1;
  }
  return rank;
}

export function layoutGraph(input: LayoutInput): Layout {
  const n = input.nodeCount;
  const rank = ranks(input);
  // Items per rank: real nodes, then dummies (index >= n) for edges spanning up to MAX_DUMMY_SPAN ranks.
  const itemRank: number[] = Array.from(rank);
  const chains: number[][] = [];
  const up: number[][] = Array.from({ length: n }, () => []);
  const down: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number) => {
    down[a]!.push(b);
    up[b]!.push(a);
  };
  for (let e = 0; e < input.from.length; e++) {
    const f = input.from[e]!;
    const t = input.to[e]!;
    const span = rank[t]! - rank[f]!;
    const chain = [f];
    if (span > 1 && span <= MAX_DUMMY_SPAN) {
      for (let r = rank[f]! + 1; r < rank[t]!; r++) {
        const d = itemRank.length;
        itemRank.push(r);
        up.push([]);
        down.push([]);
        link(chain[chain.length - 1]!, d);
        chain.push(d);
      }
    }
    if (span >= 1) link(chain[chain.length - 1]!, t);
    chain.push(t);
    chains.push(chain);
  }
  const maxRank = itemRank.reduce((m, r) => Math.max(m, r), 0);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (let i = 0; i < itemRank.length; i++) layers[itemRank[i]!]!.push(i);
  const pos = new Float64Array(itemRank.length);
  for (const layer of layers) layer.forEach((item, k) => (pos[item] = k));

  // Barycenter sweeps: order each rank by the mean position of its neighbours in the previous rank.
  const bary = new Float64Array(itemRank.length);
  const sweep = (range: number[], neighbours: number[][]) => {
    for (const r of range) {
      const layer = layers[r]!;
      for (const item of layer) {
        const ns = neighbours[item]!;
        if (ns.length === 0) bary[item] = pos[item]!;
        else {
          let s = 0;
          for (const m of ns) s += pos[m]!;
          bary[item] = s / ns.length;
        }
      }
      layer.sort((a, b) => bary[a]! - bary[b]! || a - b);
      layer.forEach((item, k) => (pos[item] = k));
    }
  };
  const downRanks = layers.map((_, r) => r).slice(1);
  const upRanks = layers.map((_, r) => r).reverse().slice(1);
  for (let s = 0; s < SWEEPS; s++) {
    sweep(downRanks, up);
    sweep(upRanks, down);
  }

  // Coordinates: each item wants the mean x of its neighbours; a left-to-right pass keeps the order
  // and the gaps. Dummies are thin, so edges bend around nodes.
  const widthOf = (item: number) => (item < n ? input.nodeWidth : 8);
  const x = new Float64Array(itemRank.length);
  for (const layer of layers) {
    let cursor = 0;
    for (const item of layer) {
      x[item] = cursor + widthOf(item) / 2;
      cursor += widthOf(item) + H_GAP;
    }
  }
  const place = (range: number[], neighbours: number[][]) => {
    for (const r of range) {
      const layer = layers[r]!;
      const want = layer.map((item) => {
        const ns = neighbours[item]!;
        if (ns.length === 0) return x[item]!;
        let s = 0;
        for (const m of ns) s += x[m]!;
        return s / ns.length;
      });
      // Push right from the wishes, push left from the wishes, take the mean: both keep the order
      // and the gaps (linear constraints), so their mean does too, centred on the wishes.
      const right = new Float64Array(layer.length);
      let prevRight = -Infinity;
      layer.forEach((item, k) => {
        const half = widthOf(item) / 2;
        right[k] = Math.max(want[k]!, prevRight + H_GAP + half);
        prevRight = right[k]! + half;
      });
      let nextLeft = Infinity;
      for (let k = layer.length - 1; k >= 0; k--) {
        const item = layer[k]!;
        const half = widthOf(item) / 2;
        const left = Math.min(want[k]!, nextLeft - H_GAP - half);
        nextLeft = left - half;
        x[item] = (left + right[k]!) / 2;
      }
    }
  };
  for (let s = 0; s < 2; s++) {
    place(downRanks, up);
    place(upRanks, down);
  }
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < x.length; i++) {
    minX = Math.min(minX, x[i]! - widthOf(i) / 2);
    maxX = Math.max(maxX, x[i]! + widthOf(i) / 2);
  }
  if (!Number.isFinite(minX)) minX = maxX = 0;
  const rowStep = input.nodeHeight + V_GAP;
  const yOf = (r: number) => r * rowStep + input.nodeHeight / 2;
  const outX = new Float64Array(n);
  const outY = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    outX[i] = x[i]! - minX;
    outY[i] = yOf(rank[i]!);
  }
  const offsets = new Int32Array(chains.length + 1);
  let total = 0;
  chains.forEach((c, i) => {
    offsets[i] = total;
    total += c.length * 2;
  });
  offsets[chains.length] = total;
  const points = new Float64Array(total);
  chains.forEach((c, i) => {
    c.forEach((item, k) => {
      points[offsets[i]! + 2 * k] = x[item]! - minX;
      points[offsets[i]! + 2 * k + 1] = yOf(itemRank[item]!);
    });
  });
  return { x: outX, y: outY, rank, points, offsets, width: maxX - minX, height: (maxRank + 1) * rowStep - V_GAP };
}
