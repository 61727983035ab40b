/**
 * Arrow tables as arquero tables, for the harness's table work (joins, distinct counts, grouping). arquero reads an
 * apache-arrow Table directly (its column vectors), but its type declarations only
 * name flechette tables and IPC bytes; the one conversion lives here.
 */
import type { Table } from 'apache-arrow';
import * as aq from 'arquero';

/** The named columns of an Arrow table as an arquero table. */
export function arqueroTable(table: Table, columns: readonly string[]): aq.ColumnTable {
  return aq.fromArrow(table.select([...columns]) as unknown as Parameters<typeof aq.fromArrow>[0]);
}
