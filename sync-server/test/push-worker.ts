import { readFileSync } from 'node:fs';
import { API_PREFIX } from '@till/shared';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

/**
 * A second server process for the multi-process test: builds its own app over the same ledger
 * file, waits for a shared start time, pushes its batches one after another, prints the
 * answers as one JSON line. Usage: node --import tsx push-worker.ts <dataDir> <jobFile>
 */
const [dataDir, jobFile] = process.argv.slice(2);
if (dataDir === undefined || jobFile === undefined) throw new Error('usage: push-worker <dataDir> <jobFile>');
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as { token: string; startAt: number; bodies: unknown[] };

const app = await buildApp({ config: loadConfig({ TILL_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PWA_DIR: dataDir }) });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
const answers: { statusCode: number; body: unknown }[] = [];
for (const body of job.bodies) {
  const response = await app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sync/push`,
    headers: { authorization: `Bearer ${job.token}` },
    payload: body as Record<string, unknown>,
  });
  answers.push({ statusCode: response.statusCode, body: response.json() });
}
await app.close();
process.stdout.write(`${JSON.stringify(answers)}\n`);
