import { ROLES, type Role } from '../../../shared/schemas/identity.js';

/** A labelled role picker. */
export function RoleField({ id, value, onChange }: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Role</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled free-text filter with suggested values. */
export function SuggestField(props: { id: string; label: string; value: string; suggestions: readonly string[]; onChange: (value: string) => void }) {
  const listId = `${props.id}-suggestions`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} type="text" list={listId} autoComplete="off" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      <datalist id={listId}>
        {props.suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}
