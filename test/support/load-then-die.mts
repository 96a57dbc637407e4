// A warehouse process that opens a new DuckDB file, loads one strateg.is file and dies by SIGKILL
// before anything checkpoints: what a killed warehouse worker leaves on its volume.
import { Warehouse } from '../../services/warehouse/warehouse';
import { loadStrategisFile } from '../../services/strategis/load';

const [db, file, archiveDir, asOf] = process.argv.slice(2) as [string, string, string, string];
const warehouse = await Warehouse.open(db);
await loadStrategisFile(warehouse, { path: file, source: 'inbox', asOf }, { archiveDir });
process.kill(process.pid, 'SIGKILL');
