import type { DaySummary, ManagerDevice, SequenceIssuesResponse } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer } from '../../../../test/helper.ts';
import { signIn } from '../../../../test/manager-helper.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('sequence problems a manager acknowledges', () => {
  it('[MGR-13][I3] a gap is listed, acknowledged by name with a reason (audited), and stops counting as open; the data is kept', async () => {
    const manager = await signIn(server);
    const till = await server.enroll('Gap till');
    const first = await till.nextSale();
    await till.nextSale(); // lost with the tablet: never sent
    const third = await till.nextSale();
    expect((await till.push(till.pushBody([first, third]))).statusCode).toBe(200);

    const open = (await manager.get(manager.store('/sequence-issues'))).json<SequenceIssuesResponse>().issues;
    expect(open).toHaveLength(1);
    const issue = open[0];
    expect(issue).toMatchObject({ kind: 'gap', fromSeq: 2, toSeq: 2, deviceName: 'Gap till', acknowledgedAt: null });

    const noCsrf = await manager.send(
      'POST',
      manager.store(`/sequence-issues/${issue?.id}/acknowledge`),
      { reason: 'tablet lost' },
      { csrf: null },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await manager.send('POST', manager.store(`/sequence-issues/${issue?.id}/acknowledge`), { reason: 'no' }))
        .statusCode,
    ).toBe(400);

    const reason = 'Tablet dropped before sale 2 was sent; customer paid cash, receipt copy on file';
    const acknowledged = await manager.send('POST', manager.store(`/sequence-issues/${issue?.id}/acknowledge`), {
      reason,
    });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({
      acknowledgeReason: reason,
      acknowledgedBy: expect.stringContaining('owner@demo.test'),
    });

    expect((await manager.get(manager.store('/sequence-issues'))).json<SequenceIssuesResponse>().issues).toHaveLength(
      0,
    );
    const all = (await manager.get(manager.store('/sequence-issues'), { view: 'all' })).json<SequenceIssuesResponse>()
      .issues;
    expect(all).toHaveLength(1);
    const devices = (await manager.get(manager.store('/devices'))).json<ManagerDevice[]>();
    expect(devices.find((device) => device.name === 'Gap till')?.openSequenceIssues).toBe(0);
    const today = (await manager.get(manager.store('/today'), { date: '2026-03-02' })).json<DaySummary>();
    expect(today.alerts.map((alert) => alert.kind)).not.toContain('sequence_issue');

    // I3: the issue and the flagged sale stay exactly as they were.
    expect(rows(server.sql, 'sequence_issues', { id: issue?.id })[0]).toMatchObject({ kind: 'gap', resolved_at: null });
    expect(rows<{ flags: string }>(server.sql, 'sales', { id: third.id })[0]?.flags).toContain('seq_gap');
    const audit = rows<{ action: string; reason: string; target_id: string }>(server.sql, 'audit_log', {
      action: 'sequence_issue.acknowledge',
    });
    expect(audit).toEqual([expect.objectContaining({ reason, target_id: issue?.id })]);

    // Acknowledging again changes nothing and writes no second audit row.
    await manager.send('POST', manager.store(`/sequence-issues/${issue?.id}/acknowledge`), {
      reason: 'again, by mistake',
    });
    expect(rows(server.sql, 'audit_log', { action: 'sequence_issue.acknowledge' })).toHaveLength(1);
  });
});
