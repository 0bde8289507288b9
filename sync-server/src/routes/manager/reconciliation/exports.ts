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

  fastify.get(
    '/exports/sales.csv',
    { schema: schema('Sales made in a range of days (by the till clock)') },
    async (request, reply) => {
      const scope = consoleScopeOf(request);
      const days = dayRange(fastify, scope, request.query);
      const rows = await fastify.ledger.exportSales(scope, days.range);
      return sendCsv(
        reply,
        fileName(scope, 'sales', days),
        saleColumns(scope.store.timezone, scope.store.currency),
        rows,
      );
    },
  );

  fastify.get(
    '/exports/payments.csv',
    { schema: schema('Card payments of the sales made in a range of days') },
    async (request, reply) => {
      const scope = consoleScopeOf(request);
      const days = dayRange(fastify, scope, request.query);
      const rows = await fastify.ledger.exportPayments(scope, days.range);
      return sendCsv(
        reply,
        fileName(scope, 'payments', days),
        paymentColumns(scope.store.timezone, scope.store.currency),
        rows,
      );
    },
  );

  fastify.get(
    '/exports/batches.csv',
    { schema: schema('Batches received in a range of days') },
    async (request, reply) => {
      const scope = consoleScopeOf(request);
      const days = dayRange(fastify, scope, request.query);
      const rows = await fastify.ledger.exportBatches(scope, days.range);
      return sendCsv(
        reply,
        fileName(scope, 'batches', days),
        batchColumns(scope.store.timezone, scope.store.currency),
        rows,
      );
    },
  );
};

export default exportRoutes;
