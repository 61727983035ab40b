/**
 * Every test file starts with the disclosure audit's LP solver loaded, as the CLI does before a study: reports are
 * audited (and releasable) as a user's would be.
 */
import { loadDisclosureAudit } from '../../validation/disclosure/lp-audit.js';

await loadDisclosureAudit();
