/**
 * The report engine (Observable Plot, Arrow, the cells) loads with the first report: a worker
 * restarted for a sync or an approval starts without it.
 */
export const loadEngine = () => import('./engine');
