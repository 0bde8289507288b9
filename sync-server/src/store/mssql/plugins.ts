import {
  type DataTypeNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryNode,
  TopNode,
  type UnknownRow,
  ValueNode,
} from 'kysely';

/**
 * The translations that let the shared query code and migrations run on SQL Server unchanged.
 * Installed only on the Azure SQL Kysely instance (see `open.ts`); SQLite never sees them.
 *
 * - `.limit(n)` → `TOP (n)`. T-SQL has no LIMIT; Kysely's MSSQL compiler prints it anyway. The
 *   ledger only ever limits (no offset): keyset pagination, first row of a seq, claims.
 * - Column types: `text` → `nvarchar(max)` (T-SQL `text` is deprecated and cannot be compared
 *   with `=`), `varchar(n)` → `nvarchar(n)`. nvarchar because names, addresses and receipts are
 *   Unicode, and because tedious sends every JS string as an nvarchar parameter: an nvarchar
 *   column compared with it seeks its index, a varchar column under Azure SQL's default SQL
 *   collation is converted row by row (CONVERT_IMPLICIT) and scans. The widest index key this
 *   makes (login_attempts: email nvarchar(254), at nvarchar(40)) is 588 bytes, under the
 *   900-byte clustered and 1700-byte nonclustered limits (`mssql-migrations.test.ts` checks
 *   every index and primary key).
 * - Text columns compare and sort by code point (COLLATE Latin1_General_100_BIN2), as SQLite's
 *   default BINARY collation does: ids, hashes, SKUs and payloads match exactly, never "the
 *   same but for case" as under Azure SQL's default case-insensitive collation. (One visible
 *   difference remains: SQLite's LIKE ignores ASCII case, this one does not.)
 */
export class MssqlPortabilityPlugin implements KyselyPlugin {
  readonly #transformer = new MssqlPortabilityTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class MssqlPortabilityTransformer extends OperationNodeTransformer {
  protected override transformSelectQuery(node: SelectQueryNode, queryId?: PluginTransformQueryArgs['queryId']) {
    const transformed = super.transformSelectQuery(node, queryId);
    if (transformed.limit === undefined) return transformed;
    if (transformed.offset !== undefined || transformed.top !== undefined) {
      throw new Error('Azure SQL: use .limit(n) alone (it becomes TOP (n)); offset paging is not supported here');
    }
    const rows = ValueNode.is(transformed.limit.limit) ? transformed.limit.limit.value : undefined;
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) {
      throw new Error('Azure SQL: .limit() needs a whole number of rows');
    }
    // A whole number printed into the statement (T-SQL TOP takes a constant or a parameter).
    return { ...transformed, limit: undefined, top: TopNode.create(rows) };
  }

  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    const dataType = mssqlDataType(node.dataType);
    return dataType === node.dataType ? node : { ...node, dataType: dataType as DataTypeNode['dataType'] };
  }
}

/** Byte-wise comparison and order, like SQLite's BINARY (see above). */
export const TEXT_COLLATION = 'Latin1_General_100_BIN2';

/** The SQL Server column type for a portable one used by the migrations. */
export function mssqlDataType(dataType: string): string {
  if (dataType === 'text') return `nvarchar(max) collate ${TEXT_COLLATION}`;
  const varchar = /^varchar\((\d+)\)$/.exec(dataType);
  if (varchar) return `nvarchar(${varchar[1]}) collate ${TEXT_COLLATION}`;
  return dataType;
}
