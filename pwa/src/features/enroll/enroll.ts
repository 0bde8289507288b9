import { ERROR_CODES } from '@till/shared/core';
import { type ApiTarget, enrollDevice } from '../../api/endpoints.ts';
import { saveDevice, type TillDb } from '../../db/index.ts';
import { refreshCatalog } from '../sync/catalog-sync.ts';

/** Why enrollment failed, in words a cashier can act on. */
export class EnrollError extends Error {
  constructor(
    readonly code: 'code_invalid' | 'unreachable' | 'rejected',
    message: string,
  ) {
    super(message);
    this.name = 'EnrollError';
  }
}

export interface EnrollInput {
  code: string;
  deviceName: string;
  appVersion: string;
}

/**
 * Enrolls this till with a one-time code: stores the credential and store, then loads the
 * catalog. A catalog that fails to load is fetched again later; the enrollment stands.
 */
export async function enroll(db: TillDb, api: ApiTarget, input: EnrollInput, now = Date.now): Promise<void> {
  const answer = await enrollDevice(api, {
    code: input.code.trim(),
    deviceName: input.deviceName.trim(),
    appVersion: input.appVersion,
  });
  if (answer.kind === 'unreachable') {
    throw new EnrollError('unreachable', 'The server cannot be reached. Connect to the network to enroll.');
  }
  if (answer.kind === 'error') {
    const code = answer.error?.error;
    if (code === ERROR_CODES.enrollmentCodeInvalid || answer.status === 401 || answer.status === 404) {
      throw new EnrollError(
        'code_invalid',
        'That enrollment code is not valid or has been used. Check it with a manager.',
      );
    }
    if (answer.status >= 500 || answer.status === 429) {
      throw new EnrollError('unreachable', 'The server is not available right now. Try again in a minute.');
    }
    throw new EnrollError('rejected', answer.error?.message ?? `Enrollment failed (${answer.status}).`);
  }
  const enrolled = answer.body;
  await saveDevice(db, {
    deviceId: enrolled.deviceId,
    deviceNo: enrolled.deviceNo,
    deviceName: enrolled.deviceName,
    token: enrolled.deviceToken,
    tenantName: enrolled.tenantName,
    store: enrolled.store,
    enrolledAt: new Date(now()).toISOString(),
  });
  await refreshCatalog(db, api);
}
