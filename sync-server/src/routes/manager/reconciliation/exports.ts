import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DateRangeQuery, StoreParams } from '@till/shared';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import type { ConsoleScope } from '../../../store/console/types.ts';
import { type CsvColumn, csvDocument } from './csv.ts';
import { type DayRange, dayRange } from './days.ts';
import { batchColumns, paymentColumns, saleColumns } from './export-columns.ts';

const csvResponse = {
  description: 'RFC 4180 CSV with a header row (text/csv; charset=utf-8), sent as an attachment',
  content: { 'text/csv': { schema: Type.String() } },
};

/** A file name that says whose, what and which days, with nothing a header could choke on. */
function fileName(scope: ConsoleScope, kind: string, days: DayRange): string {
  const code = scope.store.code.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${code}-${kind}-${days.from}-${days.to}.csv`;
}

function sendCsv<T>(
  reply: FastifyReply,
  name: string,
  columns: readonly CsvColumn<T>[],
  records: readonly T[],
): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(csvDocument(columns, records));
}

/** CSV exports for the books (MGR-12): sales, card payments, batches of a range of store-time days. */
const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const schema = (summary: string) => ({
    tags: ['manager'],
    summary,
    description:
      '`from`/`to` are store-time days, both default to today. Money in minor units and as a decimal; times as ' +
      'store-time date and time plus the ISO instant. No gateway tokens.',
    params: StoreParams,
    querystring: DateRangeQuery,
    response: { 200: csvResponse, ...errorResponses(400, 401, 404, 500) },
  });

  /** One export: its rows for the requested days, in its columns, as a CSV attachment. */
  function csvExport<T>(
    kind: string,
    summary: string,
    load: (scope: ConsoleScope, range: DayRange['range']) => Promise<readonly T[]>,
    columns: (timeZone: string, currency: ConsoleScope['store']['currency']) => readonly CsvColumn<T>[],
  ): void {
    fastify.get(`/exports/${kind}.csv`, { schema: schema(summary) }, async (request, reply) => {
      const scope = consoleScopeOf(request);
      const days = dayRange(fastify, scope, request.query);
      const rows = await load(scope, days.range);
      return sendCsv(reply, fileName(scope, kind, days), columns(scope.store.timezone, scope.store.currency), rows);
    });
  }

  csvExport('sales', 'Sales made in a range of days (by the till clock)', fastify.ledger.exportSales, saleColumns);
  csvExport(
    'payments',
    'Card payments of the sales made in a range of days',
    fastify.ledger.exportPayments,
    paymentColumns,
  );
  csvExport('batches', 'Batches received in a range of days', fastify.ledger.exportBatches, batchColumns);
};

export default exportRoutes;
