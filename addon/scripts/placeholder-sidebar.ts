/**
 * The sidebar until the shared panels (shared/ui) are bundled into it: a plain page that says so, so a test
 * deployment opens something true instead of failing on a missing file.
 */
export function placeholderSidebar(apiBaseUrl: string): string {
  const escaped = apiBaseUrl.replace(/[&<>"]/gu, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><base target="_top"><title>Auto-Author</title>
<style>body{font:13px/1.5 Arial,sans-serif;margin:12px;color:#202124}code{font-size:12px}</style></head>
<body>
<!-- PLACEHOLDER SIDEBAR: the panels are not bundled into this build yet. -->
<h1 style="font-size:15px">Auto-Author</h1>
<p>The panels are not part of this build yet. The add-on's server functions are installed and talk to
<code>${escaped}</code>.</p>
</body>
</html>
`;
}
