/**
 * Canonical timestamps now live in `model/canonical-timestamp.ts`, beside the one ISO parser
 * (`model/iso-date-time.ts`), because the page's filters and the digest need them too. This
 * re-export only keeps `timeline-log-resource.ts` building while another change splits that
 * file; import from the model module.
 *
 * @module
 */
export { isoFromDate } from '../model/canonical-timestamp.js';
