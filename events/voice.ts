/**
 * Domain events of the members' voice context: the chair's mailbox (主席信箱) and suggestions
 * (建言献策). Events that mail carry their recipients, resolved when the change was made. Survey
 * answers emit no event at all: an event would tie an answer to the moment, and so to the person.
 */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const VOICE_SOURCE = 'gonghui.voice';

const recipient = z.object({ id: z.string(), email: z.string(), name: z.optional(z.string()) });

const letter = {
  letterId: z.string(),
  category: z.string(),
  chairOnly: z.boolean(),
  state: z.string(),
  by: z.string(),
};

export const LetterWritten = defineEvent(VOICE_SOURCE, 'LetterWritten', 1, letter);
export const LetterClosed = defineEvent(VOICE_SOURCE, 'LetterClosed', 1, letter);

/** The chair handed a letter to a delegate: the delegate is mailed. */
export const LetterDelegated = defineEvent(VOICE_SOURCE, 'LetterDelegated', 1, {
  ...letter,
  subject: z.string(),
  delegate: z.nullable(recipient),
});

/** An answer (every one, numbered by `seq`): the writer is mailed with its text. */
export const LetterAnswered = defineEvent(VOICE_SOURCE, 'LetterAnswered', 1, {
  ...letter,
  subject: z.string(),
  seq: z.number(),
  answer: z.string(),
  writer: z.nullable(recipient),
});

/** A letter unanswered for the set days: one per letter and day, to the chair and its delegate. */
export const LetterReminderDue = defineEvent(VOICE_SOURCE, 'LetterReminderDue', 1, {
  letterId: z.string(),
  subject: z.string(),
  category: z.string(),
  chairOnly: z.boolean(),
  writtenOn: z.string(),
  daysWaiting: z.number(),
  date: z.string(),
  /** The chair who saved the mailbox settings; without one, the union office is told. */
  chair: z.nullable(recipient),
  delegate: z.nullable(recipient),
});

/** A delegate took up a suggestion as a proposal draft: its author is told. */
export const SuggestionAdopted = defineEvent(VOICE_SOURCE, 'SuggestionAdopted', 1, {
  suggestionId: z.string(),
  title: z.string(),
  proposalId: z.string(),
  by: z.string(),
  author: z.nullable(recipient),
});
