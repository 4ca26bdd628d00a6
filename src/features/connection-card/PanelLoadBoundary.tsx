import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/**
 * Keeps the rest of the card working when one of its panels fails: its code could not be
 * downloaded (typically after the server was updated under an open page), or it threw.
 */
export class PanelLoadBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    // Chromium, Firefox and Safari word a failed dynamic import differently.
    const notLoaded =
      /dynamically imported module|importing a module script|module script failed/i.test(
        error.message,
      );
    return (
      <section className="panel">
        <p className="error" role="alert">
          {notLoaded
            ? "This panel could not be loaded. Reload the page to try again."
            : `This panel stopped working: ${error.message}. Reload the page to start again.`}
        </p>
      </section>
    );
  }
}
