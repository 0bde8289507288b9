import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { expect, it } from 'vitest';
import { openSqliteLedger } from '../sqlite/open.ts';
import { ledgerMigrations } from './index.ts';

it('[migrations] 002 gives stores that existed before it the default card limits in their own currency', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'till-migrate-'));
  const db = openSqliteLedger(join(dir, 'till.sqlite'));
  try {
    const migrator = new Migrator({ db, provider: ledgerMigrations });
    expect((await migrator.migrateTo('001_initial')).error).toBeUndefined();
    await sql`insert into tenants (id, name, created_at) values ('t', 'T', '2026-01-01T00:00:00.000Z')`.execute(db);
    for (const [id, currency] of [
      ['s-usd', 'USD'],
      ['s-jpy', 'JPY'],
      ['s-kwd', 'KWD'],
    ]) {
      await sql`insert into stores (id, tenant_id, code, name, currency, tax_mode, locale, timezone, address, created_at)
        values (${id}, 't', ${id}, 'Shop', ${currency}, 'inclusive', 'en', 'UTC', '', '2026-01-01T00:00:00.000Z')`.execute(
        db,
      );
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const stores = await db
      .selectFrom('stores')
      .select(['currency', 'card_max_per_payment', 'card_max_total_per_device', 'card_max_age_minutes'])
      .orderBy('currency')
      .execute();
    expect(stores).toEqual([
      { currency: 'JPY', card_max_per_payment: 100, card_max_total_per_device: 500, card_max_age_minutes: 1440 },
      {
        currency: 'KWD',
        card_max_per_payment: 100_000,
        card_max_total_per_device: 500_000,
        card_max_age_minutes: 1440,
      },
      { currency: 'USD', card_max_per_payment: 10_000, card_max_total_per_device: 50_000, card_max_age_minutes: 1440 },
    ]);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
