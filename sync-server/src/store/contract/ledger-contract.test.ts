import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mssqlTestConfig, openEmptyMssqlLedger } from '../mssql/test-config.ts';
import { openLedger } from '../open-ledger.ts';
import { ledgerContractSuite, type OpenEmptyLedger } from './ledger-contract.ts';

/**
 * The ledger contract against every implementation reachable from here: SQLite always (a fresh
 * file per test), Azure SQL when `TILL_TEST_AZURE_SQL` names a test database. An unreachable leg is
 * registered as skipped WITH its reason and announced on the console — never a silent pass.
 */

const openEmptySqliteLedger: OpenEmptyLedger = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'till-contract-'));
  const ledger = await openLedger({ kind: 'sqlite', file: join(dir, 'ledger.sqlite') });
  return {
    ledger,
    async cleanup() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

ledgerContractSuite('SQLite', openEmptySqliteLedger);

// The Azure SQL leg: the test database named by TILL_TEST_AZURE_SQL (emptied before each test),
// or a skip with its reason. A value that is set but unusable throws here: never a quiet skip.
const azure = mssqlTestConfig();
if ('skip' in azure) {
  console.info(`[Azure SQL] ledger contract skipped: ${azure.skip}`);
  ledgerContractSuite('Azure SQL', () => Promise.reject(new Error(azure.skip)), { skipReason: azure.skip });
} else {
  // Each test drops and re-migrates the schema over the network: give it time.
  ledgerContractSuite('Azure SQL', () => openEmptyMssqlLedger(azure), { timeoutMs: 120_000 });
}
