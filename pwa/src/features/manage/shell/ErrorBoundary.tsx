import { Component, type ReactNode } from 'react';

/** Keeps one page's crash inside that page: the nav and the other pages still work. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="m-page">
          <div className="m-state m-state--error" role="alert">
            <p>This page failed to show: {this.state.error.message}</p>
            <button type="button" className="m-btn" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}
