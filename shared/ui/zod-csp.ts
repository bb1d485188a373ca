import { z } from 'zod';

// Every page the panels run in has a CSP without 'unsafe-eval' (/app and /admin, the extension side panel under MV3,
// the add-on sidebar): tell zod not to even probe `new Function` (the probe alone is reported as a violation).
// Imported first by each host's main.tsx, before any schema parses a response.
z.config({ jitless: true });
