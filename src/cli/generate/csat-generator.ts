// CSAT surveys, one per closed ticket while they last, submitted after the close.
import type { CsatSurvey, Sentiment } from '../../csat/csat-survey.record.js';
import { SEED_CSAT_SURVEY } from './seed-examples.js';
import { CSAT_COMMENTS } from './msp-vocabulary.js';
import type { Rng } from './seeded-random.js';
import type { TenantContext } from './tenant-world.js';
import { SlotFiller, capitalize } from './text-templates.js';
import type { GeneratedTickets, TicketFacts } from './ticket-generator.js';
import { Progress, TICKET_HISTORY_DAYS, numberAfterSeed, toInstant } from './time-and-ids.js';

const SCORE_WEIGHTS: readonly (readonly [number, number])[] = [
  [5, 68],
  [4, 17],
  [3, 8],
  [2, 3],
  [1, 4],
];
const EMPTY_COMMENT_SHARE: Record<Sentiment, number> = { positive: 0.35, neutral: 0.2, negative: 0.1 };

function sentimentFor(score: number): Sentiment {
  return score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
}

export function generateSurveys(
  rng: Rng,
  ctx: TenantContext,
  tickets: GeneratedTickets,
  count: number,
  nowCap: number,
  progress: Progress,
): CsatSurvey[] {
  const withSeed = tickets.seeded && count > 0;
  const closed = tickets.facts.filter((t) => t.closedMs !== null);
  // The seed ticket already has its survey; rate the others first.
  const candidates = withSeed && closed.length > 1 ? closed.filter((t) => t.id !== SEED_CSAT_SURVEY.ticket_id) : closed;
  const generatedCount = count - (withSeed ? 1 : 0);
  const rated = pickTickets(rng, candidates, generatedCount);

  const surveys: CsatSurvey[] = rated.map((ticket) => {
    const survey = ticket ? ticketSurvey(rng, ctx, ticket, nowCap) : untiedSurvey(rng, ctx, nowCap);
    progress.add(1);
    return survey;
  });
  surveys.sort((a, b) => (a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : 0));
  return numberAfterSeed(surveys, 'SRV', 'survey_id', count, withSeed ? SEED_CSAT_SURVEY : undefined, progress);
}

/** Distinct tickets while they last (one review per ticket), then repeats; null when there are none. */
function pickTickets(rng: Rng, tickets: readonly TicketFacts[], count: number): (TicketFacts | null)[] {
  if (tickets.length === 0) return new Array<null>(count).fill(null);
  const pool = tickets.slice();
  const picked: TicketFacts[] = [];
  for (let i = 0; i < count; i++) {
    if (i < pool.length) {
      const j = rng.int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j], pool[i]];
      picked.push(pool[i]);
    } else {
      picked.push(rng.pick(pool));
    }
  }
  return picked;
}

function ticketSurvey(rng: Rng, ctx: TenantContext, ticket: TicketFacts, nowCap: number): CsatSurvey {
  const closedMs = ticket.closedMs as number;
  // Most customers answer within hours of the closing email, some days later.
  const delay = rng.chance(0.7) ? rng.minutes(5, 8 * 60) : rng.minutes(8 * 60, 4 * 24 * 60);
  const tech = ticket.owner !== null ? (ctx.staffFirstName.get(ticket.owner) ?? undefined) : undefined;
  return survey(rng, ctx, ticket.id, Math.min(closedMs + delay, nowCap), tech);
}

function untiedSurvey(rng: Rng, ctx: TenantContext, nowCap: number): CsatSurvey {
  return survey(rng, ctx, null, nowCap - rng.minutes(0, TICKET_HISTORY_DAYS * 24 * 60 - 1), undefined);
}

/** Templates naming the technician only when there is one to name ("Thanks the technician" reads wrong). */
function commentTemplates(sentiment: Sentiment, tech: string | undefined): readonly string[] {
  return tech ? CSAT_COMMENTS[sentiment] : CSAT_COMMENTS[sentiment].filter((t) => !t.includes('{tech}'));
}

function survey(rng: Rng, ctx: TenantContext, ticketId: string | null, submittedMs: number, tech: string | undefined): CsatSurvey {
  const score = rng.weighted(SCORE_WEIGHTS);
  const sentiment = sentimentFor(score);
  const comment = rng.chance(EMPTY_COMMENT_SHARE[sentiment])
    ? ''
    : capitalize(new SlotFiller(rng, ctx, tech).fill(rng.pick(commentTemplates(sentiment, tech))));
  return {
    tenant_id: ctx.tenant.id,
    survey_id: '',
    ticket_id: ticketId,
    score,
    sentiment,
    comment,
    submitted_at: toInstant(submittedMs),
  };
}
