import { Context } from '@temporalio/activity';

/**
 * Inside an activity: heartbeats while Meta is being asked (a killed worker is noticed within the
 * heartbeat timeout), and gives up at once when Temporal cancels it (worker shutdown). Outside one
 * (the sync-spend CLI) it just awaits.
 */
export async function attended<T>(work: Promise<T>): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return work;
  }
  ctx.heartbeat();
  const beat = setInterval(() => ctx.heartbeat(), 1000);
  try {
    return await Promise.race([work, ctx.cancelled]);
  } finally {
    clearInterval(beat);
  }
}
