import { ManageApiError } from '../api/client.ts';
import type { AccountField, DraftErrors } from './account-form.ts';

const FIELDS: readonly AccountField[] = ['email', 'name', 'password', 'storeIds'];

/**
 * The server's answer to a refused save, split into what belongs next to a field (a 400's
 * details, or the e-mail a 409 `email_taken` names) and the rest, shown under the form — e.g.
 * the last owner stepping down.
 */
export function accountErrorsOf(error: unknown): { fields: DraftErrors; form: string | null } {
  if (!(error instanceof ManageApiError)) return { fields: {}, form: null };
  const fields: DraftErrors = {};
  if (error.code === 'email_taken') {
    fields.email = 'Another account already has this e-mail';
  } else if (error.status === 400) {
    for (const detail of error.details ?? []) {
      const field = FIELDS.find((name) => detail.path === `/${name}` || detail.path.startsWith(`/${name}/`));
      if (field === undefined || fields[field] !== undefined) continue;
      // A store detail is a fragment ("is not one of your stores"); the message says it whole.
      fields[field] = field === 'storeIds' ? error.message : detail.message;
    }
  }
  return { fields, form: Object.keys(fields).length > 0 ? null : error.message };
}
