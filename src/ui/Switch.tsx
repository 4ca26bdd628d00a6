import type { ReactNode } from "react";

/**
 * An on/off switch: a checkbox with role="switch", so it is found as a switch by its label
 * (SPEC: the `Presenter mode` and `Socket.IO` switches).
 */
export function Switch({
  checked,
  onChange,
  className,
  children,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className ? `toggle ${className}` : "toggle"}>
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        aria-checked={checked}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      {children}
    </label>
  );
}
