import { z } from 'zod';

// The page runs under a CSP without 'unsafe-eval': tell zod not to even probe `new Function` (the probe alone is
// reported as a violation). Imported first by main.tsx, before any schema parses a response.
z.config({ jitless: true });
