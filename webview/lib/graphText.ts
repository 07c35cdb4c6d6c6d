// Box labels on the graph canvas.

/** Cuts text to a width with an ellipsis (at the start for layer paths, whose end says most). */
export function fitText(ctx: CanvasRenderingContext2D, s: string, width: number, fromStart = false): string {
  if (ctx.measureText(s).width <= width) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const cut = fromStart ? `…${s.slice(s.length - mid)}` : `${s.slice(0, mid)}…`;
    if (ctx.measureText(cut).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return fromStart ? `…${s.slice(s.length - lo)}` : `${s.slice(0, lo)}…`;
}
