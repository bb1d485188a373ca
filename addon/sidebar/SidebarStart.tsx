import { useCallback, useEffect, useState } from 'react';
import { PanelApp } from '../../shared/ui/app/PanelApp.js';
import { describeError } from '../../shared/ui/core/error-view.js';
import { STORAGE_KEYS, type PanelHost } from '../../shared/ui/panel-host.js';

/**
 * The sidebar's first reads (the settings and the document, each a server execution) before the panels: when Apps
 * Script refuses them (several Google accounts signed in, a lost connection) the author sees why and can try again,
 * where the panels would otherwise wait for them forever on a blank sidebar. Both answers are cached for the panels.
 */
export function SidebarStart({ host }: { host: PanelHost }) {
  const [state, setState] = useState<{ ready: boolean; error: unknown }>({ ready: false, error: null });
  const start = useCallback(() => {
    setState({ ready: false, error: null });
    void Promise.all([host.settings.get(STORAGE_KEYS.apiToken), host.getDocumentContext()]).then(
      () => setState({ ready: true, error: null }),
      (error: unknown) => setState({ ready: false, error }),
    );
  }, [host]);
  useEffect(start, [start]);

  if (state.ready) return <PanelApp host={host} />;
  if (!state.error) return <div className="aa-app"><p className="aa-muted" role="status">Opening Auto-Author…</p></div>;
  const view = describeError(state.error);
  return (
    <div className="aa-app">
      <header className="aa-header"><span className="aa-brand">Auto-Author</span></header>
      <main className="aa-main">
        <div className="aa-error" role="alert" data-code={view.code}>
          <strong>{view.title}</strong>
          <p>{view.message}</p>
          <div className="aa-row"><button type="button" onClick={start}>Try again</button></div>
        </div>
      </main>
    </div>
  );
}
