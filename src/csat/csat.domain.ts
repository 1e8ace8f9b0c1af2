import { defineDomain } from '../common/domain/domain-descriptor.js';
import { DOMAIN_VENDOR_CALLS } from '../config/domains-and-vendors.js';
import { CsatSurvey } from './csat-survey.record.js';

export const CSAT = defineDomain({
  name: 'csat',
  folder: 'csat',
  recordClass: CsatSurvey,
  idFields: ['survey_id'],
  defaultSort: '-submitted_at',
  ticketRef: 'ticket_id',
  vendorCalls: DOMAIN_VENDOR_CALLS.csat,
});
