/**
 * AWS list prices the cost model uses: one region, one date, every figure with its unit.
 *
 * Region: US East (N. Virginia), the region AWS's pricing pages quote first and the one these
 * figures could be checked for. A deployment for a university in mainland China would run in an
 * Asia Pacific region that has SES (Tokyo, Singapore, Seoul, …; Hong Kong has no SES), where most of
 * these lines cost more: add that region's figures here (same shape) and pass it to the model.
 *
 * As of: 2025, after DynamoDB's on-demand price cut of 1 November 2024 and KMS's rotation pricing
 * of 2024. Source: the AWS pricing pages named on each line. This machine cannot reach them: the
 * figures were transcribed from those pages as they stood in 2025 and checked against copies the
 * project's search tool holds (e.g. DynamoDB on-demand $0.625 and $0.125 per million request units
 * in US East, as summarised by airbyte.com in July 2025). Check them again before quoting a budget.
 */
export interface PriceTable {
  region: string;
  asOf: string;
  currency: 'USD';
  lambda: {
    source: string;
    perMillionRequests: number;
    /** arm64, first pricing tier (up to 7.5 billion GB-s a month). */
    perGbSecondArm: number;
    freeRequestsPerMonth: number;
    freeGbSecondsPerMonth: number;
  };
  dynamodb: {
    source: string;
    /** On-demand, Standard table class. */
    perMillionWriteUnits: number;
    perMillionReadUnits: number;
    perGbMonthStorage: number;
    freeGbStorage: number;
    /** Continuous backups (point-in-time recovery). */
    perGbMonthPitr: number;
    /** GetRecords by a Lambda trigger is free; other readers pay per stream read request unit. */
    streamReadsByLambda: number;
  };
  sqs: { source: string; perMillionRequests: number; freeRequestsPerMonth: number };
  eventbridge: { source: string; perMillionCustomEvents: number };
  scheduler: { source: string; perMillionInvocations: number; freeInvocationsPerMonth: number };
  ses: { source: string; perThousandMails: number };
  cloudwatch: {
    source: string;
    perGbLogsIngested: number;
    perGbMonthLogsStored: number;
    perAlarmMonth: number;
    freeGbLogsPerMonth: number;
  };
  kms: {
    source: string;
    perKeyMonth: number;
    /** Each automatic rotation adds a key version at this price for the first two rotations; later ones are free. */
    perRotatedVersionMonth: number;
    maxPricedRotations: number;
    perTenThousandRequests: number;
  };
  apiGateway: { source: string; perMillionHttpApiRequests: number };
  /**
   * CloudFront in front of the web app and the API (/api/*), at the edges that serve a mainland
   * Chinese audience (Hong Kong, Singapore, Korea, Taiwan…); the always-free tier applies per month.
   */
  cloudfront: {
    source: string;
    perGbOut: number;
    perTenThousandHttpsRequests: number;
    perMillionFunctionInvocations: number;
    freeGbOut: number;
    freeRequests: number;
    freeFunctionInvocations: number;
  };
  xray: { source: string; perMillionTracesRecorded: number; freeTracesPerMonth: number };
}

export const US_EAST_1: PriceTable = {
  region: 'us-east-1',
  asOf: '2025 (list prices; not fetched from this machine)',
  currency: 'USD',
  lambda: {
    source: 'https://aws.amazon.com/lambda/pricing/',
    perMillionRequests: 0.2,
    perGbSecondArm: 0.0000133334,
    freeRequestsPerMonth: 1_000_000,
    freeGbSecondsPerMonth: 400_000,
  },
  dynamodb: {
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    perGbMonthStorage: 0.25,
    freeGbStorage: 25,
    perGbMonthPitr: 0.2,
    streamReadsByLambda: 0,
  },
  sqs: {
    source: 'https://aws.amazon.com/sqs/pricing/',
    perMillionRequests: 0.4,
    freeRequestsPerMonth: 1_000_000,
  },
  eventbridge: { source: 'https://aws.amazon.com/eventbridge/pricing/', perMillionCustomEvents: 1 },
  scheduler: {
    source: 'https://aws.amazon.com/eventbridge/pricing/ (Scheduler)',
    perMillionInvocations: 1,
    freeInvocationsPerMonth: 14_000_000,
  },
  ses: { source: 'https://aws.amazon.com/ses/pricing/', perThousandMails: 0.1 },
  cloudwatch: {
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    perGbLogsIngested: 0.5,
    perGbMonthLogsStored: 0.03,
    perAlarmMonth: 0.1,
    freeGbLogsPerMonth: 5,
  },
  kms: {
    source: 'https://aws.amazon.com/kms/pricing/',
    perKeyMonth: 1,
    perRotatedVersionMonth: 1,
    maxPricedRotations: 2,
    perTenThousandRequests: 0.03,
  },
  apiGateway: { source: 'https://aws.amazon.com/api-gateway/pricing/', perMillionHttpApiRequests: 1 },
  cloudfront: {
    source:
      'https://aws.amazon.com/cloudfront/pricing/ (Hong Kong, Philippines, South Korea, Singapore & Taiwan)',
    perGbOut: 0.12,
    perTenThousandHttpsRequests: 0.012,
    perMillionFunctionInvocations: 0.1,
    freeGbOut: 1024,
    freeRequests: 10_000_000,
    freeFunctionInvocations: 2_000_000,
  },
  xray: {
    source: 'https://aws.amazon.com/xray/pricing/',
    perMillionTracesRecorded: 5,
    freeTracesPerMonth: 100_000,
  },
};
