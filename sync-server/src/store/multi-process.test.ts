import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PushRequest, PushResponse } from '@till/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { count, startTestServer, type TestServer } from '../../test/helper.ts';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('../../test/push-worker.ts', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

it('[I2] two server processes on one SQLite file, pushing overlapping batches at once, store each sale once', async () => {
  const till = await server.enroll();
  const sales = await till.nextSales(80);
  const batches = (from: number, to: number): PushRequest[] => {
    const bodies: PushRequest[] = [];
    for (let start = from; start < to; start += 8) bodies.push(till.pushBody(sales.slice(start, start + 8)));
    return bodies;
  };
  const dataDir = dirname(server.config.database.file);
  const startAt = Date.now() + 2500; // both workers boot, then start together
  const jobs = [batches(0, 56), batches(24, 80)].map((bodies, index) => {
    const file = join(dataDir, `job-${index}.json`);
    writeFileSync(file, JSON.stringify({ token: till.enrollment.deviceToken, startAt, bodies }));
    return run(process.execPath, ['--import', 'tsx', worker, dataDir, file], { timeout: 30_000 });
  });
  const outputs = await Promise.all(jobs);

  const answers = outputs.flatMap(
    ({ stdout }) =>
      JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as { statusCode: number; body: PushResponse }[],
  );
  expect(answers.map((a) => a.statusCode).filter((code) => code !== 200)).toEqual([]);
  const results = answers.flatMap((a) => a.body.results);
  // Sales 25..56 went to both processes: exactly one stored each (answered new, or flagged
  // seq_gap when it overtook its predecessor); the other saw it stored (duplicate).
  for (const sale of sales) {
    const answersForSale = results.filter((r) => r.saleId === sale.id);
    expect(answersForSale.filter((r) => r.status !== 'duplicate')).toHaveLength(1);
    expect(answersForSale.flatMap((r) => r.flags).filter((flag) => flag !== 'seq_gap')).toEqual([]);
  }
  expect(results.filter((r) => r.status === 'duplicate').length).toBeGreaterThan(0);
  expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(80);
  expect(server.sql.prepare('select acked_seq, arrival_count from devices where id = ?').get(till.deviceId)).toEqual({
    acked_seq: 80,
    arrival_count: 80,
  });
}, 40_000);
