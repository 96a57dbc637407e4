import type { SpoolFile, SpoolPageRef } from '../../lib/meta/spool';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * A spooled ad-set page into hour's meta_adset_snapshots: ad sets upserted on (hour, ad set),
 * insights set onto them, so loading a page again rewrites the same rows. Custom-audience pages
 * have nothing to load: the meta worker reads them to classify the ad sets it spools.
 */
export async function loadAdSetPage(warehouse: Warehouse, ref: SpoolPageRef, file: SpoolFile): Promise<void> {
  if (ref.kind === 'adsets')
    await warehouse.run(sqlFile('meta/upsert_adsets'), [
      ref.hour,
      ref.account,
      file.currency ?? null,
      file.reportDate ?? null,
      JSON.stringify(file.rows),
    ]);
  else if (ref.kind === 'adset_insights')
    await warehouse.run(sqlFile('meta/update_adset_insights'), [ref.hour, JSON.stringify(file.rows)]);
}
