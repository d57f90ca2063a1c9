// The one error boundary: a part that throws (a view, a WebGL scene) explains itself instead of blanking
// the app. Each user says what failed (for the console) and what to show instead.
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

export interface ErrorBoundaryProps {
  /** names the failed part in the console, e.g. "view" or "3-D view" */
  what: string;
  /** what to show instead; `retry` renders the children again */
  fallback: (error: Error, retry: () => void) => ReactNode;
  children: ReactNode;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.what} failed`, error, info.componentStack);
  }

  override render() {
    if (this.state.error) return this.props.fallback(this.state.error, () => this.setState({ error: null }));
    return this.props.children;
  }
}

/** The fallback of a whole view: what failed, that the rest still works, and a retry. */
export function ViewFailed({ error, retry }: { error: Error; retry: () => void }) {
  return (
    <div className="query-errors" role="alert" data-testid="view-error">
      This view failed: {error.message}. The other views still work.
      <button className="small" onClick={retry}>
        retry
      </button>
    </div>
  );
}
