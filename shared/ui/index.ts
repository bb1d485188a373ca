// The panels' public surface: a host renders <PanelApp host={…} /> with its own PanelHost.
export { PanelApp, PANELS, type PanelId } from './app/PanelApp.js';
export * from './panel-host.js';
export { applyPreviewWrite } from './core/doc-preview.js';
export { Autosaver, type AutosaveSnapshot, type SaveStatus } from './core/autosave.js';
export { describeError, type ErrorView } from './core/error-view.js';
export { followJob } from './core/jobs.js';
