// Entry of the Apps Script bundle. Everything exported here becomes a top-level `function name() {}` in Code.js
// (the build adds the stubs), so menus, triggers and google.script.run can reach it. Export nothing else.
export { onInstall, onOpen, showSidebar, signOutFromMenu } from './menu.js';
export * from './server-functions.js';
