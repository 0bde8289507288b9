import type { ManagerRole, ManagerStore } from '@till/shared/core';

/**
 * Which stores an account may see: all of the tenant's (also stores added later), or a
 * checklist of the stores the owner sees. An owner always has all of them (MGR-14).
 */
export function StoreAccessField({
  role,
  allStores,
  storeIds,
  stores,
  error,
  onChange,
}: {
  role: ManagerRole;
  allStores: boolean;
  storeIds: string[];
  stores: ManagerStore[];
  error: string | undefined;
  onChange: (access: { allStores: boolean; storeIds: string[] }) => void;
}) {
  const owner = role === 'owner';
  const all = owner || allStores;
  const toggle = (storeId: string, on: boolean) =>
    onChange({
      allStores: false,
      storeIds: on ? [...storeIds, storeId] : storeIds.filter((id) => id !== storeId),
    });
  return (
    <fieldset className="mo-fieldset" disabled={owner} data-testid="team-stores">
      <legend>Stores</legend>
      {owner && <p className="m-muted">An owner sees every store.</p>}
      <label className="m-field m-field--check">
        <input
          type="radio"
          name="team-store-access"
          data-testid="team-stores-all"
          checked={all}
          onChange={() => onChange({ allStores: true, storeIds: [] })}
        />
        All stores, also ones added later
      </label>
      <label className="m-field m-field--check">
        <input
          type="radio"
          name="team-store-access"
          data-testid="team-stores-some"
          checked={!all}
          onChange={() => onChange({ allStores: false, storeIds })}
        />
        Only these stores:
      </label>
      {!all && (
        <ul className="mt-stores" aria-label="Stores this account may see">
          {stores.map((store) => (
            <li key={store.id}>
              <label className="m-field m-field--check">
                <input
                  type="checkbox"
                  data-testid={`team-store-${store.code}`}
                  checked={storeIds.includes(store.id)}
                  onChange={(event) => toggle(store.id, event.target.checked)}
                />
                {store.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      {!all && storeIds.length === 0 && (
        <p className="m-muted">With no store ticked, they can sign in but see nothing until you give them one.</p>
      )}
      {error && (
        <p className="m-field__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
