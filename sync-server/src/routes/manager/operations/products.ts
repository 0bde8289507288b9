import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CatalogImportRequest,
  CatalogImportResponse,
  ERROR_CODES,
  ManagerProduct,
  ProductInput,
  ProductsResponse,
  StoreParams,
  Uuid,
  uuidv7,
} from '@till/shared';
import Type from 'typebox';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import type { ProductChange } from '../../../store/console/operations-store.ts';
import { parseCatalogCsv } from './catalog-csv.ts';

const ProductParams = Type.Object({ storeId: Uuid, productId: Uuid }, { additionalProperties: false });

function savedProduct(change: ProductChange | { kind: 'not_found' }, sku: string): ManagerProduct {
  switch (change.kind) {
    case 'saved':
      return change.product;
    case 'sku_taken':
      throw new ApiProblem(409, ERROR_CODES.skuTaken, `Another product of this store has SKU "${sku}"`, [
        { path: '/sku', message: 'is used by another product' },
      ]);
    case 'not_found':
      throw new ApiProblem(404, ERROR_CODES.notFound, 'No such product in this store');
  }
}

/**
 * The store's catalog: list, add, change (deactivate = change with active false), import a CSV.
 * Every change bumps the store's catalog version so tills pick it up on their next sync (MGR-10)
 * and is audited in its transaction (MGR-8).
 */
const productRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/products',
    {
      schema: {
        tags: ['manager'],
        summary: 'Every product of the store, inactive ones included, and the catalog version',
        params: StoreParams,
        response: { 200: ProductsResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => fastify.ledger.consoleProducts(consoleScopeOf(request)),
  );

  fastify.post(
    '/products',
    {
      schema: {
        tags: ['manager'],
        summary: 'Adds a product (409 sku_taken when the SKU is in use)',
        params: StoreParams,
        body: ProductInput,
        response: { 201: ManagerProduct, ...errorResponses(400, 401, 403, 404, 409, 500) },
      },
    },
    async (request, reply) => {
      const change = await fastify.ledger.createConsoleProduct(
        consoleScopeOf(request),
        { id: uuidv7(), ...request.body },
        fastify.now().toISOString(),
      );
      return reply.code(201).send(savedProduct(change, request.body.sku));
    },
  );

  fastify.put(
    '/products/:productId',
    {
      schema: {
        tags: ['manager'],
        summary: 'Changes a product; active false takes it off sale on every till',
        params: ProductParams,
        body: ProductInput,
        response: { 200: ManagerProduct, ...errorResponses(400, 401, 403, 404, 409, 500) },
      },
    },
    async (request) => {
      const change = await fastify.ledger.updateConsoleProduct(
        consoleScopeOf(request),
        request.params.productId,
        request.body,
        fastify.now().toISOString(),
      );
      return savedProduct(change, request.body.sku);
    },
  );

  fastify.post(
    '/products/import',
    {
      schema: {
        tags: ['manager'],
        summary: 'Imports a catalog CSV, all or nothing, upserting by SKU',
        description:
          'Header sku,name,category,price,tax_rate,barcodes,active; price in major units (3.50), tax_rate in percent (8.25), barcodes separated by |, active true/false (optional). Any bad row → 400 with one detail per bad row (/rows/<n>, n from 1 after the header) and nothing saved.',
        params: StoreParams,
        body: CatalogImportRequest,
        response: { 200: CatalogImportResponse, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const parsed = parseCatalogCsv(request.body.csv, scope.store.currency);
      if (parsed.kind === 'invalid') {
        const rows = parsed.problems.filter((problem) => problem.path.startsWith('/rows/')).length;
        const message =
          rows > 0
            ? `${rows} row${rows === 1 ? ' has' : 's have'} problems; nothing was imported. Fix them and import the file again.`
            : `${parsed.problems[0]?.message ?? 'The file is not a catalog'}; nothing was imported.`;
        throw new ApiProblem(400, ERROR_CODES.invalidRequest, message, parsed.problems);
      }
      return fastify.ledger.importConsoleProducts(scope, parsed.rows, fastify.now().toISOString());
    },
  );
};

export default productRoutes;
