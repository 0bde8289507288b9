const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '0', '⌫'] as const;

/** A cash-register keypad: digits are typed in minor units (2-0-0-0 is 20.00). */
export function Keypad({ onKey }: { onKey: (key: (typeof KEYS)[number]) => void }) {
  return (
    <div className="keypad">
      {KEYS.map((key) => (
        <button
          type="button"
          key={key}
          className="keypad-key"
          aria-label={key === '⌫' ? 'Delete last digit' : key}
          onClick={() => onKey(key)}
        >
          {key}
        </button>
      ))}
    </div>
  );
}
