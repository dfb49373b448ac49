import { z } from 'zod';

// zod probes for eval (`Function('')`) on its first object parse, some of which run while modules load: the
// CSP refuses it (script-src has no 'unsafe-eval') and the refusal shows as a violation. Telling zod there is
// no eval skips the probe. Imported first by each entry point, so it runs before any other module's code.
z.config({ jitless: true });
