import type { ReactNode } from "react";

/** The two or three plain sentences each panel opens with, saying what the reader is seeing. */
export function Lesson({ children }: { children: ReactNode }) {
  return <p className="lesson">{children}</p>;
}
