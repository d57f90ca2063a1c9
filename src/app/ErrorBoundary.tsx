import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

/** A view that throws (e.g. WebGL missing) explains itself instead of blanking the app. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('view failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="query-errors" role="alert" data-testid="view-error">
          This view failed: {this.state.error.message}. The other views still work.
          <button className="small" onClick={() => this.setState({ error: null })}>
            retry
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
