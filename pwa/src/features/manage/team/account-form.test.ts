import type { ManagerAccountRow, ManagerStore } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import { ManageApiError } from '../api/client.ts';
import { accountChange, NEW_ACCOUNT, newAccountRequest, statusChange, storesLabel } from './account-form.ts';
import { accountErrorsOf } from './server-errors.ts';

const store = (id: string, name: string): ManagerStore => ({
  id,
  code: name.toUpperCase(),
  name,
  currency: 'USD',
  locale: 'en-US',
  timezone: 'America/New_York',
});

const sam: ManagerAccountRow = {
  id: 'm1',
  email: 'sam@demo.test',
  name: 'Sam',
  role: 'manager',
  status: 'active',
  allStores: false,
  storeIds: ['s1'],
  createdAt: '2026-03-01T09:00:00.000Z',
  lastSignInAt: null,
};

describe('team forms', () => {
  it('[MGR-14] a new account is sent trimmed and lower-cased, with the password the server will accept', () => {
    const checked = newAccountRequest({
      ...NEW_ACCOUNT,
      email: ' Sam@Demo.TEST ',
      name: ' Sam ',
      storeIds: ['s1'],
      password: 'long enough pw',
    });
    expect(checked).toEqual({
      ok: true,
      value: { email: 'sam@demo.test', name: 'Sam', role: 'manager', storeIds: ['s1'], password: 'long enough pw' },
    });
  });

  it('[MGR-14] a short password, no name and no e-mail are caught before sending', () => {
    const checked = newAccountRequest({ ...NEW_ACCOUNT, email: 'sam', password: 'short' });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(Object.keys(checked.errors).sort()).toEqual(['email', 'name', 'password']);
  });

  it('[MGR-14] an owner is always sent with every store, whatever was ticked', () => {
    const checked = accountChange({ ...NEW_ACCOUNT, name: 'Ann', role: 'owner', storeIds: ['s1'] });
    expect(checked.ok && checked.value.storeIds).toBe('all');
    expect(statusChange(sam, 'disabled')).toEqual({
      name: 'Sam',
      role: 'manager',
      storeIds: ['s1'],
      status: 'disabled',
    });
  });

  it('names the stores an account may see', () => {
    const stores = [store('s1', 'Main Street'), store('s2', 'Riverside')];
    expect(storesLabel({ allStores: true, storeIds: [] }, stores)).toBe('All stores');
    expect(storesLabel({ allStores: false, storeIds: ['s2', 's1'] }, stores)).toBe('Riverside, Main Street');
    expect(storesLabel({ allStores: false, storeIds: [] }, stores)).toBe('No store');
  });

  it('[MGR-14] puts a taken e-mail and a weak password next to their fields, the last-owner refusal under the form', () => {
    const taken = new ManageApiError(409, 'email_taken', 'There is already an account for sam@demo.test', [
      { path: '/email', message: 'is used by another account' },
    ]);
    expect(accountErrorsOf(taken)).toEqual({ fields: { email: expect.any(String) }, form: null });
    const weak = new ManageApiError(400, 'invalid_request', 'A password needs at least 10 characters', [
      { path: '/password', message: 'A password needs at least 10 characters' },
    ]);
    expect(accountErrorsOf(weak).fields.password).toBe('A password needs at least 10 characters');
    const lastOwner = new ManageApiError(400, 'invalid_request', 'You are the last active owner', [
      { path: '/role', message: 'You are the last active owner' },
    ]);
    expect(accountErrorsOf(lastOwner)).toEqual({ fields: {}, form: 'You are the last active owner' });
  });
});
