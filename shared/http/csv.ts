/**
 * CSV downloads. Apart from responses.ts so that only the functions that export CSV carry the
 * CSV writer in their bundle.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stringify } from 'csv-stringify/sync';

/** A CSV download: a BOM so that spreadsheet programs read the Chinese text as UTF-8, a header row. */
export const csvResponse = (
  filename: string,
  rows: Array<Record<string, unknown>>,
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  },
  body: `\uFEFF${stringify(rows, { header: true, columns: Object.keys(rows[0] ?? {}) })}`,
});
