import type { Kysely, Migration } from 'kysely';

/**
 * The first ledger schema. Written with Kysely's schema builder and portable column types
 * (varchar ids, integer money, text JSON) so an Azure SQL dialect can run the same migration.
 * Never edit a released migration: add the next one.
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('name', 'varchar(120)', (col) => col.notNull())
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('stores')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('code', 'varchar(8)', (col) => col.notNull())
      .addColumn('name', 'varchar(120)', (col) => col.notNull())
      .addColumn('currency', 'varchar(3)', (col) => col.notNull())
      .addColumn('tax_mode', 'varchar(10)', (col) => col.notNull())
      .addColumn('locale', 'varchar(35)', (col) => col.notNull())
      .addColumn('timezone', 'varchar(64)', (col) => col.notNull())
      .addColumn('address', 'varchar(300)', (col) => col.notNull())
      .addColumn('catalog_version', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .addUniqueConstraint('stores_tenant_code_unique', ['tenant_id', 'code'])
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_no', 'integer', (col) => col.notNull())
      .addColumn('name', 'varchar(64)', (col) => col.notNull())
      .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
      .addColumn('status', 'varchar(10)', (col) => col.notNull())
      .addColumn('enrolled_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('revoked_at', 'varchar(40)')
      .addColumn('last_seen_at', 'varchar(40)')
      .addColumn('app_version', 'varchar(32)', (col) => col.notNull())
      .addColumn('acked_seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('arrival_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('unsent_count', 'integer')
      .addColumn('oldest_unsent_at', 'varchar(40)')
      .addColumn('storage_persisted', 'integer')
      .addUniqueConstraint('devices_store_device_no_unique', ['store_id', 'device_no'])
      .execute();

    await db.schema
      .createTable('enrollment_codes')
      .addColumn('code_hash', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('expires_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('used_at', 'varchar(40)')
      .addColumn('used_by_device_id', 'varchar(36)', (col) => col.references('devices.id'))
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('sku', 'varchar(64)', (col) => col.notNull())
      .addColumn('name', 'varchar(120)', (col) => col.notNull())
      .addColumn('category', 'varchar(60)', (col) => col.notNull())
      .addColumn('barcodes', 'text', (col) => col.notNull())
      .addColumn('price', 'bigint', (col) => col.notNull())
      .addColumn('tax_rate_bp', 'integer', (col) => col.notNull())
      .addColumn('active', 'integer', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull())
      .addUniqueConstraint('products_store_sku_unique', ['store_id', 'sku'])
      .execute();
    await db.schema.createIndex('products_store_version').on('products').columns(['store_id', 'version']).execute();

    await db.schema
      .createTable('sales')
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('id', 'varchar(36)', (col) => col.notNull())
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('device_seq', 'integer', (col) => col.notNull())
      .addColumn('arrival_no', 'integer', (col) => col.notNull())
      .addColumn('prev_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('payload_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('receipt_no', 'varchar(40)', (col) => col.notNull())
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('received_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('batch_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('currency', 'varchar(3)', (col) => col.notNull())
      .addColumn('total', 'bigint', (col) => col.notNull())
      .addColumn('tax', 'bigint', (col) => col.notNull())
      .addColumn('status', 'varchar(10)', (col) => col.notNull())
      .addColumn('flags', 'varchar(400)', (col) => col.notNull())
      .addPrimaryKeyConstraint('sales_pk', ['tenant_id', 'id'])
      .execute();
    // Not unique on purpose: a reused deviceSeq must be storable (I3 keeps it, flagged).
    await db.schema.createIndex('sales_device_seq').on('sales').columns(['device_id', 'device_seq']).execute();
    await db.schema.createIndex('sales_store_received').on('sales').columns(['store_id', 'received_at']).execute();

    await db.schema
      .createTable('sale_conflicts')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('sale_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('batch_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('payload_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('received_at', 'varchar(40)', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('sale_conflicts_sale').on('sale_conflicts').columns(['tenant_id', 'sale_id']).execute();

    await db.schema
      .createTable('sequence_issues')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('kind', 'varchar(10)', (col) => col.notNull())
      .addColumn('from_seq', 'integer', (col) => col.notNull())
      .addColumn('to_seq', 'integer', (col) => col.notNull())
      .addColumn('sale_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('detail', 'varchar(400)', (col) => col.notNull())
      .addColumn('detected_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('resolved_at', 'varchar(40)')
      .execute();
    await db.schema
      .createIndex('sequence_issues_device')
      .on('sequence_issues')
      .columns(['device_id', 'kind', 'resolved_at'])
      .execute();

    await db.schema
      .createTable('batches')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('received_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('request_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('sale_count', 'integer', (col) => col.notNull())
      .addColumn('new_count', 'integer', (col) => col.notNull())
      .addColumn('duplicate_count', 'integer', (col) => col.notNull())
      .addColumn('flagged_count', 'integer', (col) => col.notNull())
      .addColumn('total', 'bigint', (col) => col.notNull())
      .addColumn('response', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('batch_sales')
      .addColumn('batch_id', 'varchar(36)', (col) => col.notNull().references('batches.id'))
      .addColumn('position', 'integer', (col) => col.notNull())
      .addColumn('sale_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('status', 'varchar(10)', (col) => col.notNull())
      .addPrimaryKeyConstraint('batch_sales_pk', ['batch_id', 'position'])
      .execute();
  },
};
