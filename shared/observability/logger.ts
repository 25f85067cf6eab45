/**
 * One structured logger per function (Powertools). Log identifiers (memberId, eventId,
 * notificationId), never personal data: no names, emails or mobiles.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger();
