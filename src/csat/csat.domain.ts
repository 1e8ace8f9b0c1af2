import { defineDomain } from '../common/domain/domain-descriptor.js';
import { CsatSurvey } from './csat-survey.record.js';

export const CSAT = defineDomain({
  name: 'csat',
  folder: 'csat',
  recordClass: CsatSurvey,
  idFields: ['survey_id'],
  defaultSort: '-submitted_at',
  ticketRef: 'ticket_id',
  vendorCalls: [{ vendor: 'smileback', target: 'GET /api/v3/reviews/' }],
});
